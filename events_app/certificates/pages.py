"""The certificate from the delegate's page (behind their emailed link), and the public page that checks one."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.params import FromPath
from litestar.response import Template

from events_app.certificates import services
from events_app.core.params import PathId
from events_app.registration import my_changes

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}  # the link in the URL is the key
VERDICT_STATUS = {"genuine": 200, "changed": 200, "not_genuine": 404, "not_attended": 404, "erased": 410}


class CertificatePages(Controller):
    include_in_schema = False

    @get("/my/{token:str}/registrations/{registration_id:int}/certificate.pdf")
    async def certificate(self, token: FromPath[str], registration_id: PathId) -> Response[bytes]:
        delegate = await my_changes.delegate_from_token(token)
        pdf = await services.pdf_for_delegate(delegate.id, registration_id)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={**PRIVATE, "Content-Disposition": 'inline; filename="certificate-of-attendance.pdf"'},
        )

    @get("/certificates/{token:str}", name="verify-certificate")
    async def verify(self, token: FromPath[str]) -> Template:
        """`token`: the certificate's verification code (certificates/codes.py)."""
        result = await services.verify(token[:200])
        return Template(
            "certificates/verify.html",
            context={"verdict": result.verdict, "facts": result.facts},
            status_code=VERDICT_STATUS[result.verdict],
            headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"},
        )
