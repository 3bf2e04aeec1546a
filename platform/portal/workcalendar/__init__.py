"""Working days on the official Chinese holiday schedule (国务院办公厅 节假日安排, with 调休).

Deadlines of mailbox letters (5 working days) and disclosure requests (20 working days), and the
主动公开 timeliness rule, all count working days here. The schedule comes from the
`chinesecalendar` package and can be extended and corrected by administrators: each November the
next year's schedule is announced, and entering it must not need a deploy. A deadline that needs
a year with no schedule is never guessed as Monday–Friday: `CalendarMissing` names the year.
"""
