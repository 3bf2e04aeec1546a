"""Operations of the 区信息中心 (第六条(五), 第十六条): backups and their restore.

The platform's data security is the centre's duty: what cannot be rebuilt (the whole database and
every department's uploads) is archived every night and can be restored into an empty system.
"""
