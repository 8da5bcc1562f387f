"""Thai public holidays and working days, for deadlines such as "within 5 working days".

Built in: the fixed-date holidays of 2568-2570 B.E. (2025-2027). Holidays that move with the
lunar calendar (มาฆบูชา, วิสาขบูชา, อาสาฬหบูชา, เข้าพรรษา), substitution days (วันหยุดชดเชย)
and special days the Cabinet adds must be configured: a CSV file `date,name` (ISO or B.E.
dates, `#` comments) named by `--holidays`, env TABIAN_HOLIDAYS_FILE, or DATA_DIR/holidays.csv.
Its dates are added to the built-in ones.
"""

from __future__ import annotations

import csv
import logging
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from archive.thai import ThaiTextError, parse_date_field

log = logging.getLogger(__name__)

HOLIDAYS_FILE_NAME = "holidays.csv"
BUILT_IN_YEARS_CE = (2025, 2026, 2027)  # 2568-2570 B.E.
FIXED_DATE_HOLIDAYS = (
    (1, 1, "วันขึ้นปีใหม่"),
    (4, 6, "วันพระบาทสมเด็จพระพุทธยอดฟ้าจุฬาโลกมหาราชและวันที่ระลึกมหาจักรีบรมราชวงศ์"),
    (4, 13, "วันสงกรานต์"),
    (4, 14, "วันสงกรานต์"),
    (4, 15, "วันสงกรานต์"),
    (5, 4, "วันฉัตรมงคล"),
    (6, 3, "วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าฯ พระบรมราชินี"),
    (7, 28, "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว"),
    (8, 12, "วันเฉลิมพระชนมพรรษาสมเด็จพระบรมราชชนนีพันปีหลวงและวันแม่แห่งชาติ"),
    (10, 13, "วันนวมินทรมหาราช"),
    (10, 23, "วันปิยมหาราช"),
    (12, 5, "วันคล้ายวันพระบรมราชสมภพ รัชกาลที่ ๙ วันชาติ และวันพ่อแห่งชาติ"),
    (12, 10, "วันรัฐธรรมนูญ"),
    (12, 31, "วันสิ้นปี"),
)


class HolidayError(Exception):
    """The holidays file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Holidays:
    """The days off besides Saturdays and Sundays, and the years they are known for."""

    days: dict[date, str] = field(default_factory=dict)
    configured_from: Path | None = None

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.days

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after start (start itself does not count)."""
        d, counted = start, 0
        while counted < n:
            d += timedelta(days=1)
            if self.is_working_day(d):
                counted += 1
        return d


def built_in() -> dict[date, str]:
    return {
        date(year, month, day): name
        for year in BUILT_IN_YEARS_CE
        for month, day, name in FIXED_DATE_HOLIDAYS
    }


def read_holidays_file(path: Path) -> dict[date, str]:
    days: dict[date, str] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for line_no, row in enumerate(csv.reader(fh), start=1):
                if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                    continue
                if line_no == 1 and row[0].strip().lower() == "date":
                    continue  # header
                try:
                    day = parse_date_field(row[0].strip())
                except ThaiTextError as exc:
                    raise HolidayError(f"{path}, line {line_no}: {exc}") from exc
                days[day] = row[1].strip() if len(row) > 1 else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise HolidayError(f"holidays file {path} cannot be read: {exc}") from exc
    return days


def load_holidays(data_dir: Path | None = None, path: Path | None = None) -> Holidays:
    """Built-in fixed dates plus the configured file (option, environment, or data dir)."""
    env = os.environ.get("TABIAN_HOLIDAYS_FILE")
    if path is None and env:
        path = Path(env)
    if path is None and data_dir is not None and (data_dir / HOLIDAYS_FILE_NAME).is_file():
        path = data_dir / HOLIDAYS_FILE_NAME
    days = built_in()
    if path is not None:
        if not path.is_file():
            raise HolidayError(f"holidays file {path} does not exist")
        days.update(read_holidays_file(path))
    return Holidays(days=days, configured_from=path)
