"""The organisers' workspace: the pages that build and change the programme (series, events, timetables,
venues, speakers, organisations, stakeholder groups) and the dashboard.

It sits above every domain (like the reports across events): its pages parse forms, call the same service
functions as the JSON API, and render. Nothing here writes a table; the rules live in the domains' services."""
