// SmearNet: tensors, layers, model files, batched inference and training (issue 3).
