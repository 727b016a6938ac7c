/* The per-character work of analysis.clean and analysis.mentions, compiled: the same results
 * as the Python functions _normalize_unicode_python, _scan_lines_python, _find_learned_python
 * and _join_utf8_python in clean.py and _fold_for_matching_python in mentions.py, which are
 * used where this module is not built (tests compare the two). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

/* Set once by configure(), from the constants in clean.py. */
static Py_ssize_t frame_words = 5, frame_chars = 60, frame_letters = 30, caption_chars = 250;
static Py_hash_t start_bits = 0, end_bits = 0;
static PyObject *nfc_normalize = NULL; /* unicodedata.normalize */
static PyObject *nfc_form = NULL;      /* "NFC" */
static PyObject *lower_name = NULL;    /* "lower" */

/* What normalisation does with a character: keep it, drop it, or make it a space or a line break. */
enum { KEEP, DROP, SPACE, BREAK };

static inline int
special_kind(Py_UCS4 c)
{
    if (c >= 0x20 && c < 0x85) return KEEP;
    if (c < 0x20) {
        if (c == '\t' || c == '\v' || c == '\f' || c == 0x1f) return SPACE;
        if (c == '\r' || c == 0x1c || c == 0x1d || c == 0x1e) return BREAK;
        return KEEP;
    }
    switch (c) {
    case 0x85: case 0x2028: case 0x2029:
        return BREAK;
    case 0xa0: case 0x1680: case 0x202f: case 0x205f: case 0x3000:
        return SPACE;
    case 0xad: case 0x200b: case 0x200c: case 0x200d: case 0x2060: case 0xfeff:
        return DROP;
    }
    return (c >= 0x2000 && c <= 0x200a) ? SPACE : KEEP;
}

/* Characters that NFC leaves as they are, whatever stands around them (checked by tests/test_clean.py). */
static inline int
nfc_inert(Py_UCS4 c)
{
    return c < 0x300 || (c >= 0x2002 && c < 0x2070) || (c >= 0x20a0 && c < 0x20d0);
}

/* Lower case as str.lower() gives it, for the characters nfc_inert() lets through; -1 for the others. */
static inline long
lower_inert(Py_UCS4 c)
{
    if (c < 0x100)
        return (c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7) ? (long)c + 32 : (long)c;
    return (c >= 0x2002 && c < 0x2070) || (c >= 0x20a0 && c < 0x20d0) ? (long)c : -1;
}

/* A str of the n characters at s, whose largest is maxchar, in its narrowest form (as Python makes it);
 * PyUnicode_FromKindAndData does the same where the largest character is not known. */
static PyObject *
make_string_max(const Py_UCS4 *s, Py_ssize_t n, Py_UCS4 maxchar)
{
    PyObject *string = PyUnicode_New(n, maxchar);
    if (string == NULL) return NULL;
    int kind = PyUnicode_KIND(string);
    if (kind == PyUnicode_1BYTE_KIND) {
        Py_UCS1 *out = PyUnicode_1BYTE_DATA(string);
        for (Py_ssize_t i = 0; i < n; i++) out[i] = (Py_UCS1)s[i];
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        Py_UCS2 *out = PyUnicode_2BYTE_DATA(string);
        for (Py_ssize_t i = 0; i < n; i++) out[i] = (Py_UCS2)s[i];
    }
    else
        memcpy(PyUnicode_4BYTE_DATA(string), s, (size_t)n * sizeof(Py_UCS4));
    return string;
}

static PyObject *
normalize(PyObject *Py_UNUSED(module), PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "normalize() needs a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text), inert = 1;
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0;
    /* Find the first character to replace, and whether all before it are inert, reading each kind directly. */
#define FIRST_SPECIAL(TYPE)                                              \
    for (const TYPE *p = data; i < n; i++) {                             \
        Py_UCS4 c = p[i];                                                \
        if (c >= 0x20 && c < 0x85) continue;                             \
        if (special_kind(c) != KEEP) break;                              \
        if (!nfc_inert(c)) inert = 0;                                    \
    }
    if (kind == PyUnicode_1BYTE_KIND) FIRST_SPECIAL(Py_UCS1)
    else if (kind == PyUnicode_2BYTE_KIND) FIRST_SPECIAL(Py_UCS2)
    else FIRST_SPECIAL(Py_UCS4)
#undef FIRST_SPECIAL
    PyObject *replaced;
    if (i == n)
        replaced = Py_NewRef(text);
    else {
        Py_UCS4 *out = PyMem_Malloc((size_t)n * sizeof(Py_UCS4));
        if (out == NULL) return PyErr_NoMemory();
        Py_ssize_t m = 0;
        for (Py_ssize_t j = 0; j < i; j++) out[m++] = PyUnicode_READ(kind, data, j);
        for (; i < n; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            switch (special_kind(c)) {
            case KEEP:
                out[m++] = c;
                if (!nfc_inert(c)) inert = 0;
                break;
            case SPACE: out[m++] = ' '; break;
            case BREAK:
                out[m++] = '\n';
                if (c == '\r' && i + 1 < n && PyUnicode_READ(kind, data, i + 1) == '\n') i++;
                break;
            }
        }
        replaced = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, m);
        PyMem_Free(out);
        if (replaced == NULL) return NULL;
    }
    if (inert) return replaced;
    PyObject *result = PyObject_CallFunctionObjArgs(nfc_normalize, nfc_form, replaced, NULL);
    Py_DECREF(replaced);
    return result;
}

static int
append_index(PyObject *list, Py_ssize_t index)
{
    PyObject *value = PyLong_FromSsize_t(index);
    if (value == NULL) return -1;
    int error = PyList_Append(list, value);
    Py_DECREF(value);
    return error;
}

/* The hash of a long line's start (its first words), flipped by start_bits: 0, or -1 on error. */
static int
start_hash(PyObject *line, Py_hash_t *hash)
{
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    Py_ssize_t n = PyUnicode_GET_LENGTH(line), start_end = 0;
    for (Py_ssize_t spaces = 0; start_end < n; start_end++)
        if (PyUnicode_READ(kind, data, start_end) == ' ' && ++spaces == frame_words) break;
    PyObject *start = PyUnicode_Substring(line, 0, start_end);
    if (start == NULL) return -1;
    *hash = PyObject_Hash(start);
    Py_DECREF(start);
    if (*hash == -1) return -1;
    *hash ^= start_bits;
    return 0;
}

/* The hash of a long line's end (its last letters, spaces and full stops left out, case folded),
 * flipped by end_bits: 0, or -1 on error. */
static int
end_hash(PyObject *line, Py_hash_t *hash)
{
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    Py_ssize_t n = PyUnicode_GET_LENGTH(line);
    Py_UCS4 end[frame_chars > 0 ? frame_chars : 1];
    Py_ssize_t m = 0;
    int lowered = 1;
    for (Py_ssize_t i = n > frame_chars ? n - frame_chars : 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == ' ' || c == '.') continue;
        long lower = lower_inert(c);
        if (lower < 0) lowered = 0;
        end[m++] = lower < 0 ? c : (Py_UCS4)lower;
    }
    PyObject *last;
    if (lowered) {  /* lower case already, one character for one: its last letters are the key */
        Py_ssize_t n_last = m > frame_letters ? frame_letters : m;
        last = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, end + m - n_last, n_last);
    }
    else {
        PyObject *squeezed = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, end, m), *lower;
        if (squeezed == NULL) return -1;
        lower = PyObject_CallMethodNoArgs(squeezed, lower_name);
        Py_DECREF(squeezed);
        if (lower == NULL) return -1;
        Py_ssize_t length = PyUnicode_GET_LENGTH(lower);
        last = PyUnicode_Substring(lower, length > frame_letters ? length - frame_letters : 0, length);
        Py_DECREF(lower);
    }
    if (last == NULL) return -1;
    *hash = PyObject_Hash(last);
    Py_DECREF(last);
    if (*hash == -1) return -1;
    *hash ^= end_bits;
    return 0;
}

static int
add_hash(PyObject *set, Py_hash_t hash)
{
    PyObject *value = PyLong_FromSsize_t(hash);
    if (value == NULL) return -1;
    int error = PySet_Add(set, value);
    Py_DECREF(value);
    return error;
}

/* 1 if the set holds the hash, 0 if not, -1 on error. */
static int
holds_hash(PyObject *set, Py_hash_t hash)
{
    PyObject *value = PyLong_FromSsize_t(hash);
    if (value == NULL) return -1;
    int found = PySet_Contains(set, value);
    Py_DECREF(value);
    return found;
}

/* Add the hashes of a long line's start and end to keys. */
static int
add_frame_hashes(PyObject *keys, PyObject *line)
{
    Py_hash_t start, end;
    if (start_hash(line, &start) < 0 || add_hash(keys, start) < 0 || end_hash(line, &end) < 0) return -1;
    return add_hash(keys, end);
}

/* What scan_lines needs to know of a line: its spaces (words - 1), and whether it is among
 * the flagged lines and the English ones (see _scan_lines_python). */
struct marks { Py_ssize_t n_spaces; int flagged, english; };

/* The starts of lines that may match a rule for whole lines: _RULE_STARTS in clean.py. */
static const char *const RULE_STARTS[] = {"Foto", "Bild", "Photo", "Image", "Titelbild", "http://", "https://", "www.", "[",
                                          NULL};

/* For each kind of str (1, 2 or 4 bytes a character), reading it where it is:
 * stands_at: does the ASCII text `word` stand at position i of the n characters at s?
 * find_newline: the position of the first '\n' from i on, or n; 16 characters at a time,
 *     in a loop without early exit that compilers vectorise.
 * make_line: a str of the line of n characters at s, spaces at its ends dropped and runs of
 *     spaces made one (in buffer, which has room for n characters), and its marks. The loops
 *     over all its characters have no early exit either. */
#define DEFINE_LINE_FUNCTIONS(TYPE, KIND)                                                                  \
static inline int                                                                                         \
stands_at_##TYPE(const TYPE *s, Py_ssize_t n, Py_ssize_t i, const char *word)                             \
{                                                                                                         \
    for (Py_ssize_t k = 0; word[k]; k++, i++)                                                             \
        if (i >= n || s[i] != (TYPE)(unsigned char)word[k]) return 0;                                     \
    return 1;                                                                                             \
}                                                                                                         \
                                                                                                          \
static inline Py_ssize_t                                                                                  \
find_newline_##TYPE(const TYPE *s, Py_ssize_t i, Py_ssize_t n)                                            \
{                                                                                                         \
    for (; i + 16 <= n; i += 16) {                                                                        \
        int found = 0;                                                                                    \
        for (int k = 0; k < 16; k++) found |= s[i + k] == '\n';                                           \
        if (found) break;                                                                                 \
    }                                                                                                     \
    while (i < n && s[i] != '\n') i++;                                                                    \
    return i;                                                                                             \
}                                                                                                         \
                                                                                                          \
static PyObject *                                                                                         \
make_line_##TYPE(const TYPE *s, Py_ssize_t n, TYPE *buffer, struct marks *marks)                          \
{                                                                                                         \
    Py_ssize_t spaces = 0;                                                                                \
    int at = 0, slash = 0, doubled = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');                           \
    for (Py_ssize_t i = 0; i < n; i++) {                                                                  \
        spaces += s[i] == ' ';                                                                            \
        at |= s[i] == '@';                                                                                \
        slash |= s[i] == '/';                                                                             \
    }                                                                                                     \
    for (Py_ssize_t i = 1; i < n; i++)                                                                    \
        doubled |= (s[i] == ' ') & (s[i - 1] == ' ');                                                     \
    const TYPE *line = s;                                                                                 \
    Py_ssize_t m = n;                                                                                     \
    if (doubled) {  /* each character is stored, and kept unless it is a space after a space or the start */ \
        int after_space = 1;                                                                              \
        line = buffer;                                                                                    \
        m = 0;                                                                                            \
        for (Py_ssize_t i = 0; i < n; i++) {                                                              \
            int space = s[i] == ' ';                                                                      \
            buffer[m] = s[i];                                                                             \
            m += !(space & after_space);                                                                  \
            after_space = space;                                                                          \
        }                                                                                                 \
        m -= m > 0 && buffer[m - 1] == ' ';                                                               \
        spaces = 0;                                                                                       \
        for (Py_ssize_t i = 0; i < m; i++) spaces += buffer[i] == ' ';                                    \
    }                                                                                                     \
    marks->n_spaces = spaces;                                                                             \
    marks->flagged = marks->english = 0;                                                                  \
    if (m > 0) {                                                                                          \
        int may_be_rule = at;                                                                             \
        for (Py_ssize_t i = 0; slash && !may_be_rule && i < m; i++)                                       \
            may_be_rule = line[i] == 'p' && stands_at_##TYPE(line, m, i, "pic.twitter.com/");             \
        for (const char *const *word = RULE_STARTS; !may_be_rule && *word; word++)                        \
            may_be_rule = stands_at_##TYPE(line, m, 0, *word);                                            \
        Py_ssize_t i = 0;                                                                                 \
        while (i < m && !Py_UNICODE_ISALNUM(line[i])) i++;                                                \
        marks->flagged = may_be_rule || i == m;                                                           \
        for (i = 0; m <= caption_chars && spaces >= 2 && !marks->english && i < m; i++)                   \
            marks->english = line[i] == ' ' && (stands_at_##TYPE(line, m, i + 1, "the ")                  \
                || stands_at_##TYPE(line, m, i + 1, "of ") || stands_at_##TYPE(line, m, i + 1, "with ")); \
    }                                                                                                     \
    return PyUnicode_FromKindAndData(KIND, line, m);                                                      \
}
DEFINE_LINE_FUNCTIONS(Py_UCS1, PyUnicode_1BYTE_KIND)
DEFINE_LINE_FUNCTIONS(Py_UCS2, PyUnicode_2BYTE_KIND)
DEFINE_LINE_FUNCTIONS(Py_UCS4, PyUnicode_4BYTE_KIND)
#undef DEFINE_LINE_FUNCTIONS

/* Add what a line says to the lists and sets of scan_lines. */
static int
scan_line(PyObject *line, const struct marks *marks, Py_ssize_t index, long min_words,
          PyObject *flagged, PyObject *english, PyObject *keys, PyObject *short_lines)
{
    if (PyUnicode_GET_LENGTH(line) == 0) return 0;
    if (marks->flagged && append_index(flagged, index) < 0) return -1;
    if (marks->english && append_index(english, index) < 0) return -1;
    if (min_words < 0) return 0;
    if (marks->n_spaces < min_words - 1) return PySet_Add(short_lines, line);
    Py_hash_t hash = PyObject_Hash(line);
    if (hash == -1 || add_hash(keys, hash) < 0) return -1;
    return marks->n_spaces >= 2 * frame_words - 1 ? add_frame_hashes(keys, line) : 0;
}

static PyObject *
scan_lines(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text, *min_words_arg;
    if (!PyArg_ParseTuple(args, "UO", &text, &min_words_arg)) return NULL;
    long min_words = -1;
    if (min_words_arg != Py_None && (min_words = PyLong_AsLong(min_words_arg)) == -1 && PyErr_Occurred()) return NULL;

    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    void *buffer = PyMem_Malloc((size_t)(n > 0 ? n : 1) * (size_t)kind);
    PyObject *lines = PyList_New(0), *words = PyList_New(0), *flagged = PyList_New(0), *english = PyList_New(0);
    PyObject *keys = min_words >= 0 ? PySet_New(NULL) : Py_NewRef(Py_None);
    PyObject *short_lines = PySet_New(NULL);
    if (buffer == NULL || lines == NULL || words == NULL || flagged == NULL || english == NULL || keys == NULL
            || short_lines == NULL)
        goto error;
    for (Py_ssize_t start = 0, index = 0; start <= n; index++) {
        Py_ssize_t end;
        struct marks marks;
        PyObject *line;
        if (kind == PyUnicode_1BYTE_KIND) {
            end = find_newline_Py_UCS1(data, start, n);
            line = make_line_Py_UCS1((const Py_UCS1 *)data + start, end - start, buffer, &marks);
        }
        else if (kind == PyUnicode_2BYTE_KIND) {
            end = find_newline_Py_UCS2(data, start, n);
            line = make_line_Py_UCS2((const Py_UCS2 *)data + start, end - start, buffer, &marks);
        }
        else {
            end = find_newline_Py_UCS4(data, start, n);
            line = make_line_Py_UCS4((const Py_UCS4 *)data + start, end - start, buffer, &marks);
        }
        if (line == NULL || PyList_Append(lines, line) < 0
                || append_index(words, PyUnicode_GET_LENGTH(line) ? marks.n_spaces + 1 : 0) < 0
                || scan_line(line, &marks, index, min_words, flagged, english, keys, short_lines) < 0) {
            Py_XDECREF(line);
            goto error;
        }
        Py_DECREF(line);
        start = end + 1;
    }
    PyMem_Free(buffer);
    return Py_BuildValue("(NNNNNN)", lines, words, flagged, english, keys, short_lines);

error:
    PyMem_Free(buffer);
    Py_XDECREF(lines);
    Py_XDECREF(words);
    Py_XDECREF(flagged);
    Py_XDECREF(english);
    Py_XDECREF(keys);
    Py_XDECREF(short_lines);
    return NULL;
}

/* The indexes of the given lines that are learned: whose hash, or the hashes of whose start
 * and end (for lines of 2 * frame_words words or more), the set `learned` holds. */
static PyObject *
find_learned(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *lines, *indexes, *learned;
    if (!PyArg_ParseTuple(args, "O!O!O", &PyList_Type, &lines, &PyList_Type, &indexes, &learned)) return NULL;
    if (!PyAnySet_Check(learned)) {
        PyErr_SetString(PyExc_TypeError, "find_learned() needs a set or frozenset of hashes");
        return NULL;
    }
    PyObject *found = PyList_New(0);
    if (found == NULL) return NULL;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(indexes); k++) {
        PyObject *index = PyList_GET_ITEM(indexes, k);
        Py_ssize_t i = PyLong_AsSsize_t(index);
        if (i == -1 && PyErr_Occurred()) goto error;
        if (i < 0 || i >= PyList_GET_SIZE(lines) || !PyUnicode_Check(PyList_GET_ITEM(lines, i))) {
            PyErr_SetString(PyExc_IndexError, "find_learned() got an index that is not a line's");
            goto error;
        }
        PyObject *line = PyList_GET_ITEM(lines, i);
        Py_hash_t hash = PyObject_Hash(line);
        int is_learned = hash == -1 ? -1 : holds_hash(learned, hash);
        if (is_learned == 0) {
            int kind = PyUnicode_KIND(line);
            const void *data = PyUnicode_DATA(line);
            Py_ssize_t n = PyUnicode_GET_LENGTH(line), spaces = 0;
            for (Py_ssize_t j = 0; j < n; j++) spaces += PyUnicode_READ(kind, data, j) == ' ';
            if (spaces >= 2 * frame_words - 1) {
                is_learned = start_hash(line, &hash) < 0 ? -1 : holds_hash(learned, hash);
                if (is_learned == 1) is_learned = end_hash(line, &hash) < 0 ? -1 : holds_hash(learned, hash);
            }
        }
        if (is_learned < 0 || (is_learned && PyList_Append(found, index) < 0)) goto error;
    }
    return found;

error:
    Py_DECREF(found);
    return NULL;
}

/* For each kind of str: how many bytes its n characters at s take in UTF-8 (-1 if a surrogate,
 * which UTF-8 cannot hold, is among them), and writing them there. A run of ASCII characters
 * is copied 8 at a time. */
#define ASCII_MASK_Py_UCS1 0x8080808080808080u
#define ASCII_MASK_Py_UCS2 0xff80ff80ff80ff80u
#define ASCII_MASK_Py_UCS4 0xffffff80ffffff80u
#define DEFINE_UTF8_FUNCTIONS(TYPE)                                                                        \
static Py_ssize_t                                                                                         \
utf8_length_##TYPE(const TYPE *s, Py_ssize_t n)                                                           \
{                                                                                                         \
    Py_ssize_t length = n;                                                                                \
    int surrogate = 0;                                                                                    \
    for (Py_ssize_t i = 0; i < n; i++) {                                                                  \
        Py_UCS4 c = s[i];                                                                                 \
        length += (c >= 0x80) + (c >= 0x800) + (c >= 0x10000);                                           \
        surrogate |= (c & 0xfffff800u) == 0xd800u;                                                        \
    }                                                                                                     \
    return surrogate ? -1 : length;                                                                       \
}                                                                                                         \
                                                                                                          \
static char *                                                                                             \
write_utf8_##TYPE(const TYPE *s, Py_ssize_t n, char *out)                                                 \
{                                                                                                         \
    Py_ssize_t i = 0;                                                                                     \
    while (i < n) {                                                                                       \
        for (; i + 8 <= n; i += 8, out += 8) {                                                            \
            uint64_t words[sizeof(TYPE)], high = 0;                                                       \
            memcpy(words, s + i, sizeof(words));                                                          \
            for (size_t k = 0; k < sizeof(TYPE); k++) high |= words[k];                                   \
            if (high & ASCII_MASK_##TYPE) break;                                                          \
            for (int k = 0; k < 8; k++) out[k] = (char)s[i + k];                                          \
        }                                                                                                 \
        Py_ssize_t stop = i + 8 < n ? i + 8 : n;                                                          \
        for (; i < stop; i++) {                                                                           \
            Py_UCS4 c = s[i];                                                                             \
            if (c < 0x80)                                                                                 \
                *out++ = (char)c;                                                                         \
            else if (c < 0x800) {                                                                         \
                *out++ = (char)(0xc0 | (c >> 6));                                                         \
                *out++ = (char)(0x80 | (c & 0x3f));                                                       \
            }                                                                                             \
            else if (c < 0x10000) {                                                                       \
                *out++ = (char)(0xe0 | (c >> 12));                                                        \
                *out++ = (char)(0x80 | ((c >> 6) & 0x3f));                                                \
                *out++ = (char)(0x80 | (c & 0x3f));                                                       \
            }                                                                                             \
            else {                                                                                        \
                *out++ = (char)(0xf0 | (c >> 18));                                                        \
                *out++ = (char)(0x80 | ((c >> 12) & 0x3f));                                               \
                *out++ = (char)(0x80 | ((c >> 6) & 0x3f));                                                \
                *out++ = (char)(0x80 | (c & 0x3f));                                                       \
            }                                                                                             \
        }                                                                                                 \
    }                                                                                                     \
    return out;                                                                                           \
}
DEFINE_UTF8_FUNCTIONS(Py_UCS1)
DEFINE_UTF8_FUNCTIONS(Py_UCS2)
DEFINE_UTF8_FUNCTIONS(Py_UCS4)
#undef DEFINE_UTF8_FUNCTIONS

static Py_ssize_t
utf8_length(PyObject *line)
{
    const void *data = PyUnicode_DATA(line);
    Py_ssize_t n = PyUnicode_GET_LENGTH(line);
    switch (PyUnicode_KIND(line)) {
    case PyUnicode_1BYTE_KIND: return utf8_length_Py_UCS1(data, n);
    case PyUnicode_2BYTE_KIND: return utf8_length_Py_UCS2(data, n);
    default: return utf8_length_Py_UCS4(data, n);
    }
}

static char *
write_utf8(PyObject *line, char *out)
{
    const void *data = PyUnicode_DATA(line);
    Py_ssize_t n = PyUnicode_GET_LENGTH(line);
    switch (PyUnicode_KIND(line)) {
    case PyUnicode_1BYTE_KIND: return write_utf8_Py_UCS1(data, n, out);
    case PyUnicode_2BYTE_KIND: return write_utf8_Py_UCS2(data, n, out);
    default: return write_utf8_Py_UCS4(data, n, out);
    }
}

/* The UTF-8 size of "\n\n".join of the non-empty lines of a list: -1 with an exception set if the
 * list holds something else than str, or a surrogate, which UTF-8 cannot hold. */
static Py_ssize_t
joined_size(PyObject *lines)
{
    if (!PyList_Check(lines)) {
        PyErr_SetString(PyExc_TypeError, "join_utf8() needs lists of str");
        return -1;
    }
    Py_ssize_t size = 0, n_joined = 0;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(lines); k++) {
        PyObject *line = PyList_GET_ITEM(lines, k);
        if (!PyUnicode_Check(line)) {
            PyErr_SetString(PyExc_TypeError, "join_utf8() needs lists of str");
            return -1;
        }
        if (PyUnicode_GET_LENGTH(line) == 0) continue;
        Py_ssize_t length = utf8_length(line);
        if (length < 0) {
            Py_XDECREF(PyUnicode_AsUTF8String(line));  /* raises UnicodeEncodeError, as str.encode does */
            return -1;
        }
        size += length + (n_joined++ ? 2 : 0);
    }
    return size;
}

/* The texts "\n\n".join of the non-empty lines of each list, encoded as UTF-8 one after the
 * other, and where each ends: what _join_utf8_python gives. */
static PyObject *
join_utf8(PyObject *Py_UNUSED(module), PyObject *texts)
{
    if (!PyList_Check(texts)) {
        PyErr_SetString(PyExc_TypeError, "join_utf8() needs a list of lists of str");
        return NULL;
    }
    Py_ssize_t n_texts = PyList_GET_SIZE(texts), size = 0;
    for (Py_ssize_t t = 0; t < n_texts; t++) {
        Py_ssize_t text_size = joined_size(PyList_GET_ITEM(texts, t));
        if (text_size < 0) return NULL;
        size += text_size;
    }
    PyObject *data = PyBytes_FromStringAndSize(NULL, size), *ends = PyList_New(n_texts);
    if (data == NULL || ends == NULL) goto error;
    char *start = PyBytes_AS_STRING(data), *out = start;
    for (Py_ssize_t t = 0; t < n_texts; t++) {
        PyObject *lines = PyList_GET_ITEM(texts, t);
        Py_ssize_t n_joined = 0;
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(lines); k++) {
            PyObject *line = PyList_GET_ITEM(lines, k);
            if (PyUnicode_GET_LENGTH(line) == 0) continue;
            if (n_joined++) {
                *out++ = '\n';
                *out++ = '\n';
            }
            out = write_utf8(line, out);
        }
        PyObject *end = PyLong_FromSsize_t(out - start);
        if (end == NULL) goto error;
        PyList_SET_ITEM(ends, t, end);
    }
    return Py_BuildValue("(NN)", data, ends);

error:
    Py_XDECREF(data);
    Py_XDECREF(ends);
    return NULL;
}

/* A table entry of fold_for_matching: the character a BMP character becomes, this bit
 * when the character it becomes sends the text to the slow path of mention finding (as
 * every character beyond the BMP does), and
 * LINK_BIT for the characters that may end "//", "www." or be "@" of an address. */
#define SLOW_BIT 0x80000000u
#define LINK_BIT 0x40000000u

static PyObject *
fold_for_matching(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text;
    Py_buffer table;
    if (!PyArg_ParseTuple(args, "Uy*", &text, &table)) return NULL;
    if (table.len != 0x10000 * (Py_ssize_t)sizeof(uint32_t)) {
        PyBuffer_Release(&table);
        PyErr_SetString(PyExc_ValueError, "fold_for_matching() needs a table of 65536 uint32 entries");
        return NULL;
    }
    const uint32_t *map = table.buf;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_UCS4 *out = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_UCS4)), maxchar = ' ';
    uint32_t slow = 0;
    int links = 0;
    if (out == NULL) {
        PyBuffer_Release(&table);
        return PyErr_NoMemory();
    }
    out[0] = ' ';
#define FOLD(TYPE)                                                       \
    for (Py_ssize_t i = 0; i < n; i++) {                                 \
        const TYPE *d = data;                                            \
        Py_UCS4 c = d[i];                                                \
        if (c < 0x10000) {                                               \
            uint32_t entry = map[c];                                     \
            if ((entry & LINK_BIT) && (c == '@' || (c == '/' && i > 0 && d[i - 1] == '/') \
                || (c == '.' && i > 2 && (d[i - 1] == 'w' || d[i - 1] == 'W') \
                    && d[i - 2] == d[i - 1] && d[i - 3] == d[i - 1])))   \
                links = 1;                                               \
            slow |= entry;                                               \
            c = entry & 0xffff;                                          \
        }                                                                \
        else slow |= SLOW_BIT; /* emoji and other characters beyond the BMP */ \
        if (c > maxchar) maxchar = c;                                    \
        out[i + 1] = c;                                                  \
    }
    if (kind == PyUnicode_1BYTE_KIND) FOLD(Py_UCS1)
    else if (kind == PyUnicode_2BYTE_KIND) FOLD(Py_UCS2)
    else FOLD(Py_UCS4)
#undef FOLD
    PyBuffer_Release(&table);
    PyObject *folded = make_string_max(out, n + 1, maxchar);
    PyMem_Free(out);
    if (folded == NULL) return NULL;
    return Py_BuildValue("(NOO)", folded, (slow & SLOW_BIT) ? Py_True : Py_False, links ? Py_True : Py_False);
}

static PyObject *
configure(PyObject *Py_UNUSED(module), PyObject *args)
{
    if (!PyArg_ParseTuple(args, "nnnnnn", &frame_words, &frame_chars, &frame_letters, &caption_chars,
                          &start_bits, &end_bits))
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"normalize", normalize, METH_O,
     "Drop invisible characters, make special spaces ' ' and line separators (and \\r\\n) '\\n', then NFC."},
    {"scan_lines", scan_lines, METH_VARARGS,
     "Split normalised text into stripped lines; return (lines, words, flagged, english, keys, short_lines)."},
    {"find_learned", find_learned, METH_VARARGS,
     "Return the indexes (of those given) of the lines whose hash, or whose frame's hashes, a set holds."},
    {"fold_for_matching", fold_for_matching, METH_VARARGS,
     "Return (' ' + text with each BMP character c made table[c] & 0xffff, whether any entry had bit 31 set, "
     "whether the text holds '@', '//', 'www.' or 'WWW.')."},
    {"join_utf8", join_utf8, METH_O,
     "Return (the texts '\\n\\n'.join of the non-empty lines of each list, encoded as UTF-8 one after the other, where each ends)."},
    {"configure", configure, METH_VARARGS, "Set the frame and caption constants of analysis.clean."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_lines", "The per-character work of analysis.clean and analysis.mentions, compiled.", -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__lines(void)
{
    PyObject *unicodedata = PyImport_ImportModule("unicodedata");
    if (unicodedata == NULL) return NULL;
    nfc_normalize = PyObject_GetAttrString(unicodedata, "normalize");
    Py_DECREF(unicodedata);
    nfc_form = PyUnicode_InternFromString("NFC");
    lower_name = PyUnicode_InternFromString("lower");
    if (nfc_normalize == NULL || nfc_form == NULL || lower_name == NULL) return NULL;
    return PyModule_Create(&module);
}
