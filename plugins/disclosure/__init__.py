"""信息公开目录 (government information disclosure catalogue) plugin."""
