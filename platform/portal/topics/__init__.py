"""专题专栏: a column that runs for a stated time, with a banner.

A 专题 is a column like any other (articles under it, counted by the inspection as a column,
cached and rendered as one) that also says when it started and when it ends. The yearly report
counts 专题 maintained in a year and 专题 newly opened in it (`figures.topic_counts`).
"""
