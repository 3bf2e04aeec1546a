"""信息报送 and 统一信息资源库: content is kept once, by the department that wrote it, and reused.

A department submits one of its live items to a column of another site (the portal or another
department); the receiving site's editors accept or reject it. Accepted items, and items taken
from the resource library, become reference pages (`references.SharedItemPage`) in the receiving
column that show the original as the projection has it, follow its edits and leave when it does.
Submissions live in the public schema because they join two department schemas.
"""
