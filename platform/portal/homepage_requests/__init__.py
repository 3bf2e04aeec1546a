"""信息发布申请表 (第十三条): a department asks for one of its items on the district homepage;
the 区信息中心 approves or rejects; an approved item shows there for the requested period."""
