package web

// Request and response helpers every room shares: reading path ids, JSON
// bodies and uploads; writing JSON. Errors are written by errors.go.

import (
	"bytes"
	"cmp"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
)

// decodeJSON reads exactly one JSON object into v, refusing other media
// types, unknown fields and trailing data, with messages a client can act on.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return errorf(errs.Unsupported, "send_the_body_as", "send the body as application/json")
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err // over the body limit: the error says so
	}
	if field, at, ok := invalidUTF8(body); !ok {
		if field == "" {
			return errorf(errs.Invalid, "body_not_utf8", "the request body is not valid UTF-8 (byte %d): send text as UTF-8", at)
		}
		return errorf(errs.Invalid, "field_not_utf8", "field %q is not valid UTF-8 (byte %d): send text as UTF-8", field, at)
	}
	if at, found := loneSurrogate(body); found {
		if field := fieldAt(body, at); field != "" {
			return errorf(errs.Invalid, "field_lone_surrogate", "field %q has half of a UTF-16 surrogate pair (%s at byte %d), which is not a character: send text as UTF-8", field, body[at:at+6], at)
		}
		return errorf(errs.Invalid, "body_lone_surrogate", "the request body has half of a UTF-16 surrogate pair (%s at byte %d), which is not a character: send text as UTF-8", body[at:at+6], at)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return err
		case errors.Is(err, io.EOF):
			return errorf(errs.Invalid, "the_request_body_is", "the request body is empty; send a JSON object")
		case errors.As(err, &se):
			return errorf(errs.Invalid, "invalid_json_at_byte", "invalid JSON at byte %d: %v", se.Offset, se)
		case errors.As(err, &te) && te.Field == "":
			return errorf(errs.Invalid, "body_must_be_a", "the request body must be a JSON %s, not a JSON %s", jsonType(te.Type), te.Value)
		case errors.As(err, &te):
			return errorf(errs.Invalid, "field_must_be_a", "field %q must be a JSON %s, not a JSON %s", te.Field, jsonType(te.Type), te.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return errorf(errs.Invalid, "unknown_field", "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return errorf(errs.Invalid, "invalid_json", "invalid JSON: %v", err)
	}
	if dec.More() {
		return errorf(errs.Invalid, "send_one_json_object", "send one JSON object, not several")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(errs.Invalid, "unexpected_data_after_the", "unexpected data after the JSON object")
	}
	return nil
}

// jsonType names what JSON gives a Go type of a body, in a client's terms
// (object, number) rather than Go's (model.Draft, int64).
func jsonType(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "string"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "string" // base64
		}
		return "array"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	}
	return "value"
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// pathID reads the {id} of the path; a malformed one is not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errorf(errs.NotFound, "not_found", "not found")
	}
	return id, nil
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// uploadedCSV reads the CSV of a form: the file field, else the csv text.
func uploadedCSV(r *http.Request, field string) ([]byte, error) {
	file, _, err := r.FormFile(field)
	switch {
	case err == nil:
		defer file.Close()
		return io.ReadAll(file)
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
		if text := r.PostFormValue("csv"); strings.TrimSpace(text) != "" {
			return []byte(text), nil
		}
		return nil, errorf(errs.Invalid, "choose_a_csv_file", "choose a CSV file or paste its text")
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, err
	}
	return nil, errs.Wrap(errs.Invalid, "web.upload_unreadable", "the upload could not be read: send the form again", err)
}

// pageOf is the page lr asks for of a whole list a service returns (users,
// tokens, webhook endpoints), in the order of id: up to lr.Limit+1 items
// after the cursor's id, for writeList with store.IDKey.
func pageOf[T any](lr listReq, items []T, id func(T) int64) ([]T, error) {
	after, err := cursorID(lr)
	if err != nil {
		return nil, err
	}
	sorted := slices.SortedFunc(slices.Values(items), func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	out := sorted[:0]
	for _, it := range sorted {
		if id(it) > after && len(out) <= lr.Limit {
			out = append(out, it)
		}
	}
	return out, nil
}

// cursorID is the id of lr's cursor, a store.IDKey (0 without one).
func cursorID(lr listReq) (int64, error) {
	if lr.After == "" {
		return 0, nil
	}
	var key []int64
	if err := json.Unmarshal([]byte(lr.After), &key); err != nil || len(key) != 1 {
		return 0, errorf(errs.Invalid, "list_cursor", "the cursor is not one this list gave with these filters; start again without it")
	}
	return key[0], nil
}

// idAndJSON reads the route's {id}, then the JSON body into v.
func idAndJSON(r *http.Request, v any) (int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, err
	}
	return id, decodeJSON(r, v)
}

// filterAndList reads a list's filters from the query with parse, then the
// list's limit and cursor.
func filterAndList[F any](r *http.Request, parse func(url.Values) (F, error)) (F, listReq, error) {
	f, err := parse(r.URL.Query())
	if err != nil {
		return f, listReq{}, err
	}
	lr, err := readList(r)
	return f, lr, err
}

// idAndList reads the route's {id}, then the list's limit and cursor.
func idAndList(r *http.Request) (int64, listReq, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, listReq{}, err
	}
	lr, err := readList(r)
	return id, lr, err
}
