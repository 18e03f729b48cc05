package gqlexec

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// object is a JSON object that keeps its keys in selection order, as
// GraphQL responses do.
type object struct {
	keys []string
	vals []any
}

func (o *object) set(k string, v any) {
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
}

// get returns the value of key k (tests and the executor's own checks).
func (o *object) get(k string) (any, bool) {
	for i, key := range o.keys {
		if key == k {
			return o.vals[i], true
		}
	}
	return nil, false
}

// appendJSON appends the JSON form of v: nil, bool, string, int, int64,
// float64, time.Time (RFC 3339 UTC), []any, *object, or anything else
// through encoding/json.
func appendJSON(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case string:
		return appendString(b, v)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case float64:
		return strconv.AppendFloat(b, v, 'g', -1, 64)
	case time.Time:
		return appendString(b, formatTime(v))
	case []any:
		b = append(b, '[')
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, x)
		}
		return append(b, ']')
	case *object:
		if v == nil {
			return append(b, "null"...)
		}
		b = append(b, '{')
		for i, k := range v.keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendJSON(b, v.vals[i])
		}
		return append(b, '}')
	default:
		j, err := json.Marshal(v)
		if err != nil {
			return appendString(b, "gqlexec: cannot encode: "+err.Error())
		}
		return append(b, j...)
	}
}

// formatTime renders a DateTime or GitTimestamp the way GitHub does:
// RFC 3339 in UTC with second precision, e.g. 2024-05-01T10:00:00Z.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping what JSON requires
// (and nothing more: GitHub does not escape <, > or &).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// gqlError is one entry of a response's "errors" list, with its keys in the
// order GitHub writes them.
type gqlError struct {
	Type       string         `json:"type,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
	Locations  []location     `json:"locations,omitempty"`
	Message    string         `json:"message"`
}

type location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// body renders a whole response: data (when hasData) and errors.
func body(hasData bool, data any, errs []gqlError) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	if hasData {
		b.WriteString(`"data":`)
		b.Write(appendJSON(make([]byte, 0, 16<<10), data))
	}
	if len(errs) > 0 {
		if hasData {
			b.WriteByte(',')
		}
		j, err := json.Marshal(errs)
		if err != nil {
			j = []byte(`[{"message":"gqlexec: cannot encode errors"}]`)
		}
		b.WriteString(`"errors":`)
		b.Write(j)
	}
	b.WriteByte('}')
	return b.Bytes()
}
