"""政务邮箱 (citizen mailbox) plugin."""
