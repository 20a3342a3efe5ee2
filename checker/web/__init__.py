"""`fzcheck serve`: the checks as a web page and an HTTP API, for people who never open a terminal
and for OA systems that post a report and want the audit JSON back.

The web stack (Starlette, uvicorn, python-multipart) is imported from this package only, which
only `fzcheck serve` imports: a command-line audit pays nothing for it.
"""
