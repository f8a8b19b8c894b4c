"""The shipped models, one module per kind: how each is exported, loaded and run.

    models/generator.py   AvatarPipeline (load, generate), export_generator
    models/upscaler.py    load_upscaler, upscale_uint8, export_upscaler
    models/tagger.py      load_tagger, predict, export_tagger

train/ writes what these read (model.json + shards, avatargan/export.py); nothing outside
train/ imports train/ to use a model. avatargan/pipeline.py is the facade over all three.
"""
