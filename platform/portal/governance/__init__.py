"""Publishing governance: review before publishing, confidentiality and wording checks, homepage
publication applications (第七条, 第十二–十五条, 第十八条)."""
