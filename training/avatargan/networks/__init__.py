"""Networks: the conditional StyleGAN2 generator and discriminator, the upscaler, the tagger.

Networks import no data or training code; each is built from a config dataclass that is
saved inside checkpoints and exported model.json files.
"""
