"""Data preparation, the seed's method as resumable steps (`python -m avatargan prepare STEP`).

    import -> filter -> crop -> dedupe -> review -> autotag -> pack

`python -m avatargan pack` runs the same steps for faces that are already aligned, leaving
out filter, face detection (the crop takes the centre square), review and autotag
(pack_source.py).

Every step reads the files the step before it wrote in one work folder (see workspace.py),
writes its own, and records a report of what it kept, what it skipped and why
(reports/<step>.json). Run again with the same inputs and options, a step says it is up to
date and does nothing; the face crop also resumes an interrupted run image by image.
"""
