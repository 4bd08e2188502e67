// SmearPipeline: decode at the model scale, locate, crop, classify (integration of issues 2-4).
