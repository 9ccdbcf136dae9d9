"""English date and time formats of the portal (FORMAT_MODULE_PATH): British style, "31 Dec 2028", 24-hour
times. Django's own English formats are American ("Dec. 31, 2028", "12/31/2028", "2:30 p.m."), which a reader
of a German municipality's pages in English misreads (12/01 is the first of December here)."""

DATE_FORMAT = "j M Y"  # 31 Dec 2028
SHORT_DATE_FORMAT = "j M Y"  # never 12/31/2028 nor 31/12/2028: the month in letters is unambiguous
DATETIME_FORMAT = "j M Y, H:i"  # 31 Dec 2028, 14:30
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"  # December 2028
MONTH_DAY_FORMAT = "j F"  # 31 December
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M"]
