"""What an uploaded file must look like before we keep it. Pure functions on names and bytes; each refusal is a
DomainError on the field `file` whose German message says what the applicant can do instead."""

import io
import re
import struct
import unicodedata
import warnings
import zlib

from PIL import Image, ImageOps

from fonds.errors import DomainError

ALLOWED_EXTENSIONS = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
TYPE_LABELS = {"application/pdf": "PDF-Dokument", "image/jpeg": "JPEG-Bild", "image/png": "PNG-Bild"}
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)

# Inner parts of a name that are themselves file extensions ("rechnung.php.pdf", "x.pdf.html"): servers and
# mail filters have been fooled by these. Dots inside ordinary names ("Rechnung 12.03.2025.pdf") stay allowed.
_INNER_EXTENSION = re.compile(
    r"(pdf|jpe?g|png|gif|bmp|tiff?|webp|heic|svgz?|x?html?|shtml|xht|xml|xsl|php\d*|phtml|phar|pht|aspx?|jsp|"
    r"cgi|pl|py|rb|sh|js|mjs|exe|dll|com|bat|cmd|msi|ps1|vbs|jar|scr|hta|lnk|docx?|docm|xlsx?|xlsm|pptx?|"
    r"odt|ods|rtf|zip|rar|7z|gz|tar)", re.IGNORECASE)

TYPES_ONLY = ("Bitte laden Sie nur PDF-, JPEG- oder PNG-Dateien hoch. Diese Datei ist keine davon, auch wenn ihr "
              "Name es vielleicht vermuten lässt. Word- oder andere Dokumente speichern Sie bitte als PDF.")
RENAME = ("Der Dateiname enthält Zeichen, die wir nicht annehmen. Bitte benennen Sie die Datei einfach um, "
          "z. B. in „Angebot Malerarbeiten.pdf“, und laden Sie sie erneut hoch.")
PRINT_TO_PDF = ("Bitte öffnen Sie das Dokument, drucken Sie es in eine neue PDF-Datei („Drucken“ → „Als PDF "
                "speichern“) und laden Sie diese neue Datei hoch.")


def refusal(message: str) -> DomainError:
    return DomainError(message, field="file")


def claimed_content_type(name: str) -> str:
    """The content type the file name promises; refuses names we do not accept."""
    if not name or "\x00" in name or "%00" in name or "/" in name or "\\" in name or name.strip(". ") == "":
        raise refusal(RENAME)
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise refusal(RENAME)
    stem, dot, extension = name.rpartition(".")
    content_type = ALLOWED_EXTENSIONS.get(f".{extension.lower()}") if dot else None
    if content_type is None or not stem.strip():
        raise refusal(TYPES_ONLY + " Erlaubt sind die Endungen .pdf, .jpg, .jpeg und .png.")
    inner = [part for part in stem.split(".")[1:] if _INNER_EXTENSION.fullmatch(part.strip())]
    if inner:
        ending = extension.lower()
        raise refusal(f"Der Dateiname hat mehr als eine Endung (.{inner[-1]}.{extension}). Bitte benennen Sie die "
                      f"Datei so um, dass sie nur auf .{ending} endet, z. B. „Angebot.{ending}“, und laden Sie sie "
                      f"erneut hoch.")
    return content_type


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def check_content_matches(*, name: str, claimed: str, data: bytes) -> None:
    actual = sniff_content_type(data[:16])
    if actual is None:
        raise refusal(TYPES_ONLY)
    if actual != claimed:
        right = next(ext for ext, content_type in ALLOWED_EXTENSIONS.items() if content_type == actual)
        raise refusal(f"Der Inhalt passt nicht zum Dateinamen: „{name}“ ist in Wahrheit ein {TYPE_LABELS[actual]}. "
               f"Bitte speichern Sie die Datei mit der Endung {right} und laden Sie sie erneut hoch.")


# --- PDF ------------------------------------------------------------------------------------------------

_NAME_TOKEN = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
ACTIVE_PDF_NAMES = {b"JavaScript", b"Launch"}
# Object streams are small; more inflated bytes than this is a decompression bomb or no ordinary document.
MAX_INFLATED_BYTES = 32 * 1024 * 1024


def _pdf_names(data: bytes) -> set[bytes]:
    """Every PDF name in `data`, with #xx escapes decoded (/J#61vaScript is /JavaScript)."""
    return {_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), token) for token in _NAME_TOKEN.findall(data)}


def _object_streams(data: bytes):
    """(names of the stream dictionary, raw stream bytes) for each object stream: since PDF 1.5 most objects,
    actions included, may sit compressed inside one."""
    for match in _STREAM.finditer(data):
        start = match.end()
        previous_end = data.rfind(b"endstream", 0, match.start())
        dictionary = data[max(data.rfind(b"obj", 0, match.start()), previous_end, 0):match.start()]
        names = _pdf_names(dictionary)
        if b"ObjStm" in names:
            end = data.find(b"endstream", start)
            yield names, data[start:end if end != -1 else len(data)]


def _inflate(raw: bytes, budget: int) -> bytes:
    inflater = zlib.decompressobj()
    out = inflater.decompress(raw, budget + 1)
    if len(out) > budget:
        raise refusal("Die PDF-Datei lässt sich nicht prüfen, weil sie ungewöhnlich aufgebaut ist. "
                      + PRINT_TO_PDF)
    return out


def check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-1024:]:
        raise refusal("Die PDF-Datei ist unvollständig oder beschädigt (das Dateiende fehlt). Bitte speichern "
                      "oder exportieren Sie sie erneut als PDF und laden Sie sie noch einmal hoch.")
    names = _pdf_names(data)
    budget = MAX_INFLATED_BYTES
    for dictionary, raw in _object_streams(data):
        if dictionary & {b"ASCIIHexDecode", b"ASCII85Decode", b"LZWDecode", b"RunLengthDecode", b"Crypt"}:
            raise refusal("Die PDF-Datei lässt sich nicht prüfen, weil sie ungewöhnlich gepackt ist. " + PRINT_TO_PDF)
        if b"FlateDecode" in dictionary:
            try:
                inflated = _inflate(raw, budget)
            except zlib.error:
                raise refusal("Die PDF-Datei lässt sich nicht prüfen (sie ist beschädigt oder verschlüsselt). "
                              + PRINT_TO_PDF) from None
            budget -= len(inflated)
            names |= _pdf_names(inflated)
    if names & ACTIVE_PDF_NAMES:
        raise refusal("Die PDF-Datei enthält ausführbare Inhalte (JavaScript oder den Start eines Programms). "
                      "Solche Dateien nehmen wir zum Schutz aller Beteiligten nicht an. " + PRINT_TO_PDF)


# --- images ---------------------------------------------------------------------------------------------

_UNDECODABLE = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, struct.error)


def reencode_image(data: bytes, *, content_type: str, max_pixels: int) -> bytes:
    """The picture drawn anew by Pillow: upright as the camera meant it, without EXIF (GPS position, camera,
    time), XMP or comments. Refuses pictures above `max_pixels` before decoding them."""
    image_format = "JPEG" if content_type == "image/jpeg" else "PNG"
    too_large = (f"Das Bild ist zu groß: höchstens {max_pixels / 1_000_000:.0f} Megapixel sind möglich. Bitte "
                 f"verkleinern Sie es (z. B. auf 4000 × 3000 Pixel) und laden Sie es erneut hoch.")
    try:
        with warnings.catch_warnings():
            # Our own limit below decides; Pillow's warning threshold would only add noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[image_format])
            if image.width * image.height > max_pixels:
                raise refusal(too_large)
            image.load()
            image = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError:
        raise refusal(too_large) from None
    except _UNDECODABLE:
        raise refusal("Das Bild lässt sich nicht öffnen, es ist vermutlich beschädigt. Bitte speichern Sie es "
                      "erneut als JPEG oder PNG und laden Sie es noch einmal hoch.") from None
    # Only what the picture needs to look right travels on; everything else in `info` is dropped.
    keep = {key: image.info[key] for key in ("icc_profile", "transparency") if image.info.get(key) is not None}
    image.info = {}
    out = io.BytesIO()
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, icc_profile=keep.get("icc_profile"))
    else:
        image.save(out, "PNG", optimize=True, **keep)
    return out.getvalue()
