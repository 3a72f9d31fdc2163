"""`python -m curriculum linkcheck`: are the help lines and links still right?

Offline parts (always): collect every external URL from the registry, the built site and the PDFs;
check tel:/sms: links against the registry; list registry entries not verified for a while.
Online part (unless --offline): fetch each URL politely (per-host limits, retries, cache), check
#fragments, and classify the result. A failing critical resource is an error; a failing
reference link is a warning; a 403/429 that persists is "unverified", never OK.
"""
