// SmearTraining: datasets, label map, augmentation, metrics, training, evaluation (issue 5).
