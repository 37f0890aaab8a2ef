"""The network's impact across the year: the organisers' report (/organiser/impact, /api/impact, CSV) and the
public page of totals (/impact) that organisers switch on. It reads every domain below it and writes only its
own switch."""
