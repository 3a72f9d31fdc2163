"""Rule 'image-handling': no sentence tells a reader to view, open, save, screenshot, copy, download,
forward, send, print, keep a copy of, or delete an image (CONTRIBUTING.md). Negated sentences
("Never save it", "Do not screenshot", "Don't look at, save or forward the image") are fine, and so
are descriptions ("students who forward images cause harm"). See ``image_handling_instructions``.
"""

from __future__ import annotations

import re

from ..errors import Problem
from . import Context, Document, Rule
from .text import Finding, blocks, sentences

# What an image is called. The look-ahead keeps "picture rules", "picture cards" and similar out.
IMAGE = (r"(?:(?:the|that|this|these|those|a|an|any|such|every|all|each|your|their|his|her|my|our|"
         r"its|one|some)\s+)?(?:(?!(?:about|of|for|with|in|on|to|from|that|which|and|or|me|us|him|her|them)\b)"
         r"[\w'-]+\s+){0,2}?(?:images?|pictures?|photos?|photographs?|videos?|"
         r"nudes?|deepfakes?|pics?|screenshots?|screen\s?shots?)\b"
         r"(?!\s+(?:rules?|cards?|books?|frames?|days?|walks?|sort|of\s+the\s+day))(?!-)")
PRONOUN = r"(?:it|them)\b"
EVIDENCE = (r"(?:\s+[\w'-]+){0,5}?\s+(?:as|for)\s+(?:evidence|proof|the\s+investigation|the\s+police|police|"
            r"law\s+enforcement|your\s+records|the\s+record)\b")
ACTIONS = [
    # verb + an image
    rf"\b(?:view|look\s+at|open|watch|save|download|copy|print|forward|send|delete|upload|collect|gather|store)\s+{IMAGE}",
    # verb + it/them (only verbs that, with a bare pronoun, mean handling an image)
    rf"\b(?:save|download|forward|delete|screenshot|screen-shot)\s+{PRONOUN}(?!\s+as\s+a?\s*PDF)",
    # screenshot as a verb
    r"\bscreen-?shot\s+(?:this|that|everything|the|any|all|those|these|every|each|what|her|his|their)\b",
    # take / grab / make a screenshot; photograph the screen
    r"\b(?:take|grab|make|get|snap)\s+(?:a\s+|some\s+|one\s+)?(?:screen-?shots?|screen\s+shots?|screen\s?grabs?)\b",
    r"\b(?:take|snap)\s+a\s+(?:photo|picture)\s+of\s+the\s+screen\b",
    # keep a copy (of an image / of it), or keep the image
    rf"\b(?:keep|make|hold\s+on\s+to)\s+(?:a\s+)?cop(?:y|ies)(?:\s+of\s+(?:{IMAGE}|{PRONOUN})|(?!\s+of\b))",
    rf"\b(?:keep|hold\s+on\s+to)\s+{IMAGE}",
    # save / keep / copy / screenshot anything "as evidence"
    rf"\b(?:save|keep|copy|screenshot|download|store)\b{EVIDENCE}",
]
ACTION = re.compile("|".join(f"(?:{a})" for a in ACTIONS), re.I)
ACTION_VERB = (r"(?:view|look\s+at|open|watch|save|download|copy|print|forward|send|delete|upload|"
               r"screen-?shot|keep|share|post|show|collect|store)")

NEGATION = re.compile(r"\b(?:never|not|no|none|nobody|nothing|without|avoid|refuse|refuses|nor|stop)\b"
                      r"|n't\b|\bcannot\b|\binstead\s+of\b|\brather\s+than\b", re.I)
NOT_NEGATION = re.compile(r"\b(?:don't|do\s+not|never)\s+forget\b|\bno\s+matter\b|\bnot\s+only\b", re.I)
# A new instruction can start after these, so negation before them does not carry over.
BREAK = re.compile(r";|:\s|,\s*and\s+then\b|,\s*and\b|\bbut\b|\binstead\b(?!\s+of)|\bthen\b|\bhowever\b", re.I)
# Leading words after which the verb still reads as an order to the reader.
CONDITION = re.compile(r"^(?:if|when|once|after|before|as\s+soon\s+as|whenever|to|in\s+case)\b[^,]*,\s*", re.I)
SUBJECT = r"(?:[\w'-]+\s+){0,3}?"
IMPERATIVE_PREFIX = re.compile(
    r"^\s*(?:(?:and|or|so|also|please|first|next|then|now|just|always|immediately|quickly|right\s+away|"
    r"simply|go\s+ahead\s+and|be\s+sure\s+to|make\s+sure\s+(?:to|you)|remember\s+to|"
    r"(?:don't|do\s+not|never)\s+forget\s+to|try\s+to|"
    r"you\s+(?:should|must|can|may|need\s+to|will\s+need\s+to|have\s+to|ought\s+to|might\s+want\s+to)|"
    r"(?:it\s+is|it's)\s+(?:a\s+good\s+idea|important|best|wise|helpful|okay|ok|fine|smart)\s+to|"
    + SUBJECT + r"(?:should|must|need\s+to|needs\s+to|have\s+to|has\s+to|ought\s+to|"
    r"(?:are|is)\s+(?:asked|expected|required|encouraged|told)\s+to)(?:\s+(?:also|always|first|then|immediately))?|"
    r"(?:ask|tell|have|let|get|help|encourage|remind|instruct|invite|urge)\s+(?:[\w'-]+\s+){0,3}?(?:to\s+)?|"
    + ACTION_VERB + r"(?:\s+(?:it|them))?\s*(?:,|\bor\b|\band\b))[\s,]*)*$", re.I)


def _segments(sentence: str) -> list[tuple[str, bool]]:
    """Split a sentence where a new instruction could start; say which parts inherit a negation.

    "Never open, save, print, and delete it" stays one part (a list of verbs); "Don't look at it, and
    save it for police" is two. A part after a negated lead-in ending in ":" inherits the negation.
    """
    parts: list[tuple[str, bool]] = []
    current, inherited, position = "", False, 0
    for m in BREAK.finditer(sentence):
        piece = sentence[position:m.start()]
        if m.group(0).lstrip().startswith(",") and re.search(ACTION_VERB + r"\s*$", current + piece, re.I):
            current += piece + m.group(0)
        else:
            current += piece
            parts.append((current, inherited))
            inherited = m.group(0).startswith(":") and negated(current)
            current = ""
        position = m.end()
    parts.append((current + sentence[position:], inherited))
    return parts


def negated(text: str) -> bool:
    return bool(NEGATION.search(NOT_NEGATION.sub(" ", text)))


def instruction_in(sentence: str, inherited: bool = False) -> str | None:
    """The words that tell the reader to handle an image, or None."""
    for index, (part, part_inherited) in enumerate(_segments(sentence)):
        part_negated = part_inherited or (inherited and index == 0)
        for m in ACTION.finditer(part):
            prefix = part[:m.start()]
            while (c := CONDITION.match(prefix.strip())) is not None and c.end() > 0:
                prefix = prefix.strip()[c.end():]
            if part_negated or negated(prefix):
                continue
            if IMPERATIVE_PREFIX.match(prefix.strip(" \"'(-\u201c") + " "):
                return m.group(0)
    return None


def image_handling_instructions(source: str) -> list[Finding]:
    """Sentences that tell the reader to view, save, screenshot, forward... an image.

    A sentence is flagged when an image-handling phrase ("save the image", "take a screenshot",
    "forward it to", "keep a copy", "save ... as evidence") is in the position of an order: at the start
    of a sentence or clause (after "if ...,", "then", "and", a list of verbs), after "you should/must/
    can", "staff should", "make sure to", "ask the student to", and the like. It is allowed when a
    negation comes before it in the same clause ("Never open, save or forward it", "Do not screenshot"),
    or when a list item sits under a negated lead-in ("Never:" / "What never to do").
    Descriptions ("students who forward images", "it is a crime to save it") are not orders.
    """
    found = []
    items = blocks(source)
    for i, block in enumerate(items):
        inherited = False
        if block.kind == "item":
            lead = next((b for b in reversed(items[:i])
                         if not (b.kind == "item" and b.indent >= block.indent) and b.kind != "row"), None)
            if lead is not None and (lead.kind in ("heading", "title") or lead.text.endswith(":")
                                     or re.fullmatch(r"[^.!?]*", lead.text)):
                last = sentences(lead.text)[-1] if lead.text else ""
                inherited = negated(last)
        for sentence in sentences(block.text):
            words = instruction_in(sentence, inherited)
            if words:
                found.append(Finding(block.line, f"tells the reader to handle an image ('{words}'): {sentence}"))
    return found


# Spanish (a page.es.md, a handout with lang: es): the same orders, in the imperative (usted and tú).
ES_IMAGE = (r"(?:(?:la|las|el|los|una|esa|esta|esas|estas|cualquier|su|sus|tu|tus)\s+)?"
            r"(?:imagen|imágenes|fotos?|videos?|desnudos?)\b")
ES_VERB = (r"(?:mire|mira|abra|abre|guarde|guarda|descargue|descarga|copie|copia|imprima|imprime|reenvíe|reenvía|"
           r"envíe|envía|mande|manda|borre|borra|elimine|elimina|comparta|comparte)")
# An infinitive is an order only after a modal ("Debe guardar la imagen"), not as a subject.
ES_MODAL_VERB = (r"(?:debe|debes|deben|tiene\s+que|tienes\s+que|hay\s+que|necesita|necesitas|puede|puedes)\s+"
                 r"(?:mirar|abrir|guardar|descargar|copiar|imprimir|reenviar|enviar|mandar|borrar|eliminar|compartir)")
ES_ACTIONS = [
    rf"\b{ES_VERB}\s+{ES_IMAGE}",
    rf"\b{ES_MODAL_VERB}\s+{ES_IMAGE}",
    # an affirmative imperative with its pronoun attached: guárdela, mírala, reenvíela, bórrelas
    r"\b(?:guárd|mír|reenví|bórr|descárg|cópi|imprím|elimín|mánd|envi|compárt)[aeí]?l[ao]s?\b",
    r"\b(?:tome|toma|haga|haz|saque|saca)\s+(?:una\s+)?captura(?:s)?\s+de\s+pantalla\b",
    r"\b(?:guarde|guarda|copie|copia|descargue|descarga)\b(?:\s+[\wáéíóúñ]+){0,5}?\s+como\s+(?:prueba|evidencia)\b",
]
ES_ACTION = re.compile("|".join(f"(?:{a})" for a in ES_ACTIONS), re.I)
ES_NEGATION = re.compile(r"\b(?:no|nunca|jamás|ni|sin|nadie|nada|tampoco|evite|evita|en\s+lugar\s+de)\b", re.I)
# The order position: the start of the clause, after "si ...,", "y", "luego", "debe", "pídale que" ...
ES_CONDITION = re.compile(r"^(?:si|cuando|en\s+cuanto|después\s+de|antes\s+de|para)\b[^,]*,\s*", re.I)
ES_PREFIX = re.compile(r"^(?:(?:y|o|e|usted|tú|también|primero|luego|después|ahora|por\s+favor|solo|siempre|enseguida|"
                       r"debe|debes|deben|tiene\s+que|tienes\s+que|hay\s+que|puede|puedes|necesita|necesitas|"
                       r"(?:pídale|pídele|dígale|dile|asegúrese\s+de|asegúrate\s+de)(?:\s+a\s+[\wáéíóúñ]+)?(?:\s+que)?"
                       r"|le|les|me|te|se|nos|lo|la)[\s,]*)*$", re.I)
ES_BREAK = re.compile(r";|:\s|,\s*y\s+(?:luego|después)\b|\bpero\b|\bluego\b|\bdespués\b", re.I)


def spanish_instructions(source: str) -> list[Finding]:
    """Spanish sentences that tell the reader to look at, save, forward... an image, with no negation
    before it in the same clause ("No la mire, no la guarde" is fine; "Guarde la imagen" is not)."""
    found = []
    for block in blocks(source):
        for sentence in sentences(block.text):
            for part in ES_BREAK.split(sentence):
                for m in ES_ACTION.finditer(part):
                    prefix = part[:m.start()].strip(" \"'(-\u201c\u00bf\u00a1")
                    while (c := ES_CONDITION.match(prefix)) is not None and c.end() > 0:
                        prefix = prefix[c.end():]
                    if not ES_NEGATION.search(part[:m.start()]) and ES_PREFIX.match(prefix):
                        found.append(Finding(block.line, f"tells the reader to handle an image ('{m.group(0)}'): "
                                                         f"{sentence}"))
                        break
    return found


def check(doc: Document, context: Context) -> list[Problem]:
    findings = image_handling_instructions(doc.text)
    if doc.lang == "es":
        findings += spanish_instructions(doc.text)
    return [Problem(doc.path, finding.text, finding.line,
                    "Never tell anyone to view, save, screenshot, copy, forward, print or delete an image. "
                    "Say what not to do, and who to tell.")
            for finding in findings]


RULE = Rule("image-handling", "instructions to handle an image", check)
