"""Training: config presets, losses, the loop, checkpoints, augmentation, distributed setup."""
