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
        "contents_note": "The numbers here are the page numbers printed at the foot of every page of this "
                         "packet, and the pages a PDF reader shows.",
        "packet_page": "Packet page {page} of {pages}",
        # how current the help lines and links are (covers, cards, the resources page): two dates, kept apart
        "reviewed": "Details reviewed against our sources {date}",
        "reviewed_short": "reviewed {date}",
        "reached": "Links last reached by the link checker {date}",
        "reached_short": "link reached {date}",
        "not_reached": "Links not yet reached by the link checker: check them before printing",
        "not_reached_short": "link not yet reached by the link checker: check before printing",
        "some_reached": "{count} of {total} links not yet reached by the link checker: check them before printing",
        "numbers_unchecked": "Phone numbers and text codes are not checked automatically: check before printing",
        "numbers_unchecked_short": "numbers are not checked automatically: check before printing",
        "qr_heading": "Scan with a phone camera to open",
        "qr_alt": "QR code for {name}: {url}",
        "guides_heading": "The pages named here, on the website: scan or type the address",
        "guides_find": "The pages named here are on the {site} website. Find them by their titles:",
        "guides_where": "(on the website: {sections})",
        # buttons on web pages
        "download_pdf": "Download PDF",
        "download_packet": "Download the {title} packet (PDF)",
        "download_staff_packet": "Download the staff packet (PDF)",
        "download_docx": "Download Word (.docx)",
        "print": "Print",
        # how to reach the school (district_reach)
        "reach_call": "by phone at",
        "reach_email": "by email at",
        "reach_neutral": "through your school's main office",
        "or": "or",
        # translations (curriculum/i18n.py): the switcher, the notices of unreviewed and fallback pages
        "language": "Language",
        "unreviewed_title": "Translation not yet reviewed",
        "unreviewed": "No fluent reader of this language has checked this translation yet. If you see a "
                      "mistake, please tell {contact}.",
        "unreviewed_print": "Translation not yet reviewed by a fluent reader. Mistakes: tell your school.",
        "fallback_title": "Not translated yet",
        "fallback": "This page is not translated yet. Here it is in English.",
        # registry lists (resources(), resource_directory())
        "call": "Call: ",
        "text": "Text: ",
        "group_get-help": "Get help now",
        "group_report": "Report",
        "group_remove": "Remove images",
        "group_learn": "Learn more",
        "table_resource": "Resource",
        "table_for": "What it is for",
        "table_reach": "How to reach it",
        "old_address": "This page has moved.",
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
        "contents_note": "Los números son los que aparecen al pie de cada página de este paquete, y las "
                         "páginas que muestra un lector de PDF.",
        "packet_page": "Página {page} de {pages} del paquete",
        "reviewed": "Datos revisados con nuestras fuentes el {date}",
        "reviewed_short": "revisado el {date}",
        "reached": "Enlaces comprobados por última vez por el verificador de enlaces el {date}",
        "reached_short": "enlace comprobado el {date}",
        "not_reached": "El verificador de enlaces aún no ha comprobado los enlaces: revíselos antes de imprimir",
        "not_reached_short": "el verificador de enlaces aún no lo ha comprobado: revíselo antes de imprimir",
        "some_reached": "{count} de {total} enlaces aún sin comprobar por el verificador de enlaces: revíselos "
                        "antes de imprimir",
        "numbers_unchecked": "Los números de teléfono y de texto no se comprueban automáticamente: revíselos antes "
                             "de imprimir",
        "numbers_unchecked_short": "los números no se comprueban automáticamente: revíselos antes de imprimir",
        "qr_heading": "Escanee con la cámara del teléfono para abrir",
        "qr_alt": "Código QR de {name}: {url}",
        "guides_heading": "Las páginas que se mencionan, en el sitio web: escanee o escriba la dirección",
        "guides_find": "Las páginas que se mencionan están en el sitio web {site}. Búsquelas por su título:",
        "guides_where": "(en el sitio web: {sections})",
        "download_pdf": "Descargar PDF",
        "download_packet": "Descargar el paquete de {title} (PDF)",
        "download_staff_packet": "Descargar el paquete para el personal (PDF)",
        "download_docx": "Descargar Word (.docx)",
        "print": "Imprimir",
        "reach_call": "por teléfono al",
        "reach_email": "por correo electrónico a",
        "reach_neutral": "por medio de la oficina principal de la escuela",
        "or": "o",
        "language": "Idioma",
        "unreviewed_title": "Traducción sin revisar",
        "unreviewed": "Ninguna persona con dominio del español ha revisado esta traducción todavía. Si ve un "
                      "error, avise a {contact}.",
        "unreviewed_print": "Traducción sin revisar por una persona con dominio del español. "
                            "¿Ve un error? Avise a la escuela.",
        "fallback_title": "Todavía sin traducir",
        "fallback": "Esta página todavía no está en español. Aquí la tiene en inglés.",
        "call": "Llame: ",
        "text": "Texto: ",
        "group_get-help": "Ayuda ahora",
        "group_report": "Denunciar",
        "group_remove": "Quitar imágenes",
        "group_learn": "Para saber más",
        "table_resource": "Recurso",
        "table_for": "Para qué sirve",
        "table_reach": "Cómo comunicarse",
        "old_address": "Esta página cambió de lugar.",
    },
}
LANGUAGES = tuple(WORDS)
AUDIENCES = ("students", "families", "staff")


def words(lang: str = "en") -> dict[str, str]:
    """The interface words of ``lang`` (English for a language the engine has no words for)."""
    return WORDS.get(lang, WORDS["en"])


def audience_title(audience: str, lang: str = "en") -> str:
    return words(lang)[audience]
