from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, with JavaScript module imports rewritten too.

    Without this, files imported by portal.js keep their plain names and are served
    with a short cache lifetime.
    """

    support_js_module_import_aggregation = True
