"""What the service's tests share besides fixtures (import as `web.helpers`)."""

from datetime import date

WEEK = date(2026, 11, 30)
PASSWORD = "correct horse battery"
