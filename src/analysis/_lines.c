/* The per-line work of analysis.clean, compiled: the same results as the Python
 * functions _replace_special_python and _scan_lines_python in clean.py, which are
 * used where this module is not built (tests/test_clean.py compares the two). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Set once by configure(), from the constants in clean.py. */
static Py_ssize_t frame_words = 5, frame_chars = 60, frame_letters = 30, caption_chars = 250;
static Py_hash_t start_bits = 0, end_bits = 0;

/* What normalisation does with a character: keep it, drop it, or make it a space or a line break. */
enum { KEEP, DROP, SPACE, BREAK };

static inline int
special_kind(Py_UCS4 c)
{
    if (c < 0x20) {
        if (c == '\t' || c == '\v' || c == '\f' || c == 0x1f) return SPACE;
        if (c == '\r' || c == 0x1c || c == 0x1d || c == 0x1e) return BREAK;
        return KEEP;
    }
    if (c < 0x85) return KEEP;
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

static PyObject *
replace_special(PyObject *Py_UNUSED(module), PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "replace_special() needs a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0;
    while (i < n && special_kind(PyUnicode_READ(kind, data, i)) == KEEP) i++;
    if (i == n) return Py_NewRef(text);
    Py_UCS4 *out = PyMem_Malloc((size_t)n * sizeof(Py_UCS4));
    if (out == NULL) return PyErr_NoMemory();
    Py_ssize_t m = 0;
    for (Py_ssize_t j = 0; j < i; j++) out[m++] = PyUnicode_READ(kind, data, j);
    for (; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        switch (special_kind(c)) {
        case KEEP: out[m++] = c; break;
        case SPACE: out[m++] = ' '; break;
        case BREAK:
            out[m++] = '\n';
            if (c == '\r' && i + 1 < n && PyUnicode_READ(kind, data, i + 1) == '\n') i++;
            break;
        }
    }
    PyObject *result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, m);
    PyMem_Free(out);
    return result;
}

/* Does the ASCII text `word` stand at position i of the n characters at s? */
static int
stands_at(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t i, const char *word)
{
    for (Py_ssize_t k = 0; word[k]; k++, i++)
        if (i >= n || s[i] != (Py_UCS4)(unsigned char)word[k]) return 0;
    return 1;
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

static int
add_hash(PyObject *set, Py_hash_t hash)
{
    PyObject *value = PyLong_FromSsize_t(hash);
    if (value == NULL) return -1;
    int error = PySet_Add(set, value);
    Py_DECREF(value);
    return error;
}

static int
add_string_hash(PyObject *set, const Py_UCS4 *s, Py_ssize_t n, Py_hash_t bits)
{
    PyObject *string = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, s, n);
    if (string == NULL) return -1;
    Py_hash_t hash = PyObject_Hash(string);
    Py_DECREF(string);
    return hash == -1 ? -1 : add_hash(set, hash ^ bits);
}

/* Add the hashes of a long line's start (its first words) and end (its last letters) to keys. */
static int
add_frame_hashes(PyObject *keys, const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t start_end)
{
    if (add_string_hash(keys, s, start_end, start_bits) < 0) return -1;
    Py_UCS4 squeezed[frame_chars > 0 ? frame_chars : 1];
    Py_ssize_t m = 0;
    for (Py_ssize_t i = n > frame_chars ? n - frame_chars : 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '.') squeezed[m++] = s[i];
    PyObject *string = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, squeezed, m);
    if (string == NULL) return -1;
    PyObject *lower = PyObject_CallMethod(string, "lower", NULL);
    Py_DECREF(string);
    if (lower == NULL) return -1;
    Py_ssize_t length = PyUnicode_GET_LENGTH(lower);
    PyObject *end = PyUnicode_Substring(lower, length > frame_letters ? length - frame_letters : 0, length);
    Py_DECREF(lower);
    if (end == NULL) return -1;
    Py_hash_t hash = PyObject_Hash(end);
    Py_DECREF(end);
    return hash == -1 ? -1 : add_hash(keys, hash ^ end_bits);
}

/* Add what the line of n characters at s says to the lists and sets of scan_lines. */
static int
scan_line(PyObject *line, const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t index, long min_words,
          PyObject *flagged, PyObject *english, PyObject *keys, PyObject *short_lines)
{
    if (n == 0) return 0;
    int may_be_rule = stands_at(s, n, 0, "Foto") || stands_at(s, n, 0, "Bild") || stands_at(s, n, 0, "Photo")
        || stands_at(s, n, 0, "Image") || stands_at(s, n, 0, "Titelbild") || stands_at(s, n, 0, "http://")
        || stands_at(s, n, 0, "https://") || stands_at(s, n, 0, "www.");
    int is_english = 0, check_english = n <= caption_chars;
    Py_ssize_t n_spaces = 0, start_end = -1, i = 0;
    while (i < n && !Py_UNICODE_ISALNUM(s[i])) i++;
    int has_alnum = i < n;
    for (i = 0; i < n; i++) {
        Py_UCS4 c = s[i];
        if (c == ' ') {
            if (++n_spaces == frame_words) start_end = i;
            if (check_english && !is_english)
                is_english = stands_at(s, n, i + 1, "the ") || stands_at(s, n, i + 1, "of ")
                    || stands_at(s, n, i + 1, "with ");
        }
        else if (c == '@') may_be_rule = 1;
        else if (c == 'p' && !may_be_rule) may_be_rule = stands_at(s, n, i, "pic.twitter.com/");
    }
    if ((may_be_rule || !has_alnum) && append_index(flagged, index) < 0) return -1;
    if (is_english && append_index(english, index) < 0) return -1;
    if (min_words < 0) return 0;
    if (n_spaces < min_words - 1) return PySet_Add(short_lines, line);
    Py_hash_t hash = PyObject_Hash(line);
    if (hash == -1 || add_hash(keys, hash) < 0) return -1;
    return n_spaces >= 2 * frame_words - 1 ? add_frame_hashes(keys, s, n, start_end) : 0;
}

static PyObject *
scan_lines(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text, *min_words_arg;
    if (!PyArg_ParseTuple(args, "UO", &text, &min_words_arg)) return NULL;
    long min_words = -1;
    if (min_words_arg != Py_None && (min_words = PyLong_AsLong(min_words_arg)) == -1 && PyErr_Occurred()) return NULL;

    Py_UCS4 *s = PyUnicode_AsUCS4Copy(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *lines = PyList_New(0), *flagged = PyList_New(0), *english = PyList_New(0);
    PyObject *keys = min_words >= 0 ? PySet_New(NULL) : Py_NewRef(Py_None);
    PyObject *short_lines = PySet_New(NULL);
    if (s == NULL || lines == NULL || flagged == NULL || english == NULL || keys == NULL || short_lines == NULL)
        goto error;
    for (Py_ssize_t start = 0, index = 0; start <= n; index++) {
        Py_ssize_t end = start;
        while (end < n && s[end] != '\n') end++;
        Py_ssize_t next = end + 1;
        /* strip the spaces at the ends and fold runs of spaces, in place */
        while (start < end && s[start] == ' ') start++;
        while (end > start && s[end - 1] == ' ') end--;
        Py_ssize_t m = start;
        for (Py_ssize_t j = start; j < end; j++)
            if (s[j] != ' ' || s[m - 1] != ' ') s[m++] = s[j];
        PyObject *line = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, s + start, m - start);
        if (line == NULL || PyList_Append(lines, line) < 0
                || scan_line(line, s + start, m - start, index, min_words, flagged, english, keys, short_lines) < 0) {
            Py_XDECREF(line);
            goto error;
        }
        Py_DECREF(line);
        start = next;
    }
    PyMem_Free(s);
    return Py_BuildValue("(NNNNN)", lines, flagged, english, keys, short_lines);

error:
    PyMem_Free(s);
    Py_XDECREF(lines);
    Py_XDECREF(flagged);
    Py_XDECREF(english);
    Py_XDECREF(keys);
    Py_XDECREF(short_lines);
    return NULL;
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
    {"replace_special", replace_special, METH_O,
     "Drop invisible characters; make special spaces ' ' and line separators (and \\r\\n) '\\n'."},
    {"scan_lines", scan_lines, METH_VARARGS,
     "Split normalised text into stripped lines; return (lines, flagged, english, keys, short_lines)."},
    {"configure", configure, METH_VARARGS, "Set the frame and caption constants of analysis.clean."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_lines", "The per-line work of analysis.clean, compiled.", -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__lines(void)
{
    return PyModule_Create(&module);
}
