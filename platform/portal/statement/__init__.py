"""The 政府网站工作年度报表 (国办函〔2018〕12号): the portal's yearly statement for the whole
platform, computed from the data, completed by hand where the platform cannot know, reviewed by
the 区政府办公室 and published on the portal's homepage, as a page, a PDF and a spreadsheet."""
