"""Administrator-entered schedule: whole years the package lacks, and corrections of single days."""

from django.db import models


class CalendarYear(models.Model):
    """A year whose schedule an administrator has entered completely (its holidays and 调休 days
    are CalendarDay rows; every other Monday–Friday is a working day)."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField("依据", max_length=200, help_text="例如：国务院办公厅关于2027年部分节假日安排的通知")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "节假日安排年度"
        verbose_name_plural = "节假日安排年度"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} 年"


class CalendarDay(models.Model):
    """One day whose status differs from Monday–Friday: a holiday on a weekday, or a 调休 workday."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "上班（调休）"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=50, blank=True, help_text="例如：春节、国庆节")

    class Meta:
        verbose_name = "节假日/调休日"
        verbose_name_plural = "节假日/调休日"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"
