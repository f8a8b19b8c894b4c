"""AvatarGAN: conditional StyleGAN2 for anime avatars (training, evaluation, export).

Importing this package does no work; see avatargan.pipeline for the facade and
`python -m avatargan --help` for the command line.
"""

__version__ = "0.1.0"
