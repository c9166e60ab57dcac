"""Domain and services of the 综治中心 client. No Qt widgets live here."""
