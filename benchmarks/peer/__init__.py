"""S3's peer: the same page models and templates served by plain single-site Wagtail."""
