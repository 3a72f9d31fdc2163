"""The words the engine prints itself (not the authors' content), in every language a page can be in.

One table: the running headers and footers of PDFs, packet covers and contents, QR captions, audience
titles, download buttons, and the "how to reach the school" phrases. Content words live in the
Markdown, never here. Every language has the same keys (a test checks).
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        # audiences (the nav, the handout index, PDF running headers)
        "students": "For students",
        "families": "For families",
        "staff": "For staff and leaders",
        "teachers": "For teachers",
        # grade bands
        "grades": "Grades {}",
        "all_grades": "All grades",
        "lesson_label": "Lesson {order} · {minutes} minutes · Lesson plan",
        # packet contents headings
        "section_lessons": "Lessons",
        "section_students": "Handouts for students",
        "section_families": "Handouts for families",
        "section_staff": "Handouts for staff",
        "section_pages": "Guide",
        # PDFs
        "page_counter": '"Page " counter(page) " of " counter(pages)',
        "contents": "Contents",
        "contents_note": "The numbers here count the pages of this whole packet, as a PDF reader shows them. "
                         "Each document also numbers its own pages at the bottom.",
        "checked": "Resources checked {date}",
        "qr_heading": "Scan with a phone camera to open",
        "qr_alt": "QR code for {name}: {url}",
        # buttons on web pages
        "download_pdf": "Download PDF",
        "download_packet": "Download the {title} packet (PDF)",
        "download_staff_packet": "Download the staff packet (PDF)",
        "print": "Print",
        # how to reach the school (district_reach)
        "reach_call": "by phone at",
        "reach_email": "by email at",
        "reach_neutral": "through your school's main office",
        "or": "or",
    },
    "es": {
        "students": "Para estudiantes",
        "families": "Para familias",
        "staff": "Para el personal y la dirección",
        "teachers": "Para docentes",
        "grades": "Grados {}",
        "all_grades": "Todos los grados",
        "lesson_label": "Lección {order} · {minutes} minutos · Plan de la lección",
        "section_lessons": "Lecciones",
        "section_students": "Materiales para estudiantes",
        "section_families": "Materiales para familias",
        "section_staff": "Materiales para el personal",
        "section_pages": "Guía",
        "page_counter": '"Página " counter(page) " de " counter(pages)',
        "contents": "Contenido",
        "contents_note": "Los números cuentan las páginas de todo este paquete, como las muestra un lector de "
                         "PDF. Cada documento también numera sus propias páginas al pie.",
        "checked": "Recursos verificados el {date}",
        "qr_heading": "Escanee con la cámara del teléfono para abrir",
        "qr_alt": "Código QR de {name}: {url}",
        "download_pdf": "Descargar PDF",
        "download_packet": "Descargar el paquete de {title} (PDF)",
        "download_staff_packet": "Descargar el paquete para el personal (PDF)",
        "print": "Imprimir",
        "reach_call": "por teléfono al",
        "reach_email": "por correo electrónico a",
        "reach_neutral": "por medio de la oficina principal de la escuela",
        "or": "o",
    },
}
LANGUAGES = tuple(WORDS)
AUDIENCES = ("students", "families", "staff")


def words(lang: str = "en") -> dict[str, str]:
    """The interface words of ``lang`` (English for a language the engine has no words for)."""
    return WORDS.get(lang, WORDS["en"])


def audience_title(audience: str, lang: str = "en") -> str:
    return words(lang)[audience]
