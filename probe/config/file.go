package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/BurntSushi/toml"

	"downforai/probe"
)

// Decode overlays the TOML in data, read from path, onto c. Every error is
// one line that names the file and, where there is one, the line: a bare
// number where a duration goes says how to write it, an unknown key says
// where it is.
func (c *Config) Decode(path string, data []byte) error {
	raw, err := bareNumbers(path, data)
	if err != nil {
		return err
	}
	md, err := toml.Decode(string(data), c)
	if err != nil {
		return fileError(path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		// Keys are flat: the first part is what is unknown, even for a
		// [table] or a dotted key. A dotted key's table has no line of its
		// own: the first key under it has.
		key, line := und[0][0], 0
		for _, k := range und {
			if k[0] == key {
				if line = keyLine(data, k); line > 0 {
					break
				}
			}
		}
		if line > 0 {
			return fmt.Errorf("config %s: line %d: unknown key %s (README lists the keys)", path, line, probe.Quote(key))
		}
		return fmt.Errorf("config %s: unknown key %s (README lists the keys)", path, probe.Quote(key))
	}
	c.Path = path
	c.file = &fileKeys{data: data, raw: raw}
	return nil
}

// bareNumbers refuses the first duration key, in file order, given as a
// number, with the line and the value to write instead; else it returns
// the file's keys and their values as written.
func bareNumbers(path string, data []byte) (map[string]any, error) {
	var raw map[string]any
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		return nil, fileError(path, err)
	}
	durations := map[string]bool{}
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		if t.Field(i).Type == reflect.TypeFor[Duration]() {
			durations[t.Field(i).Tag.Get("toml")] = true
		}
	}
	for _, k := range md.Keys() {
		if len(k) != 1 || !durations[k[0]] {
			continue
		}
		var n string
		switch v := raw[k[0]].(type) {
		case int64, float64:
			n = fmt.Sprint(v)
		default:
			continue
		}
		return nil, fmt.Errorf("config %s: line %d: %s = %s is a number without a unit; write %s",
			path, keyLine(data, k), k[0], n, unitFix(k[0], n))
	}
	return raw, nil
}

func fileError(path string, err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("config %s: %s", path, oneLine(err.Error()))
	}
	msg := pe.Message
	if pe.LastKey != "" && !strings.Contains(msg, pe.LastKey) {
		msg = pe.LastKey + ": " + msg
	}
	return fmt.Errorf("config %s: line %d: %s", path, pe.Position.Line, oneLine(msg))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// rejectKey is the value of the one key keyLine looks for: decoding it
// fails, and the parser's error carries the key's line.
type rejectKey struct{}

func (rejectKey) UnmarshalTOML(any) error { return errors.New("found") }

// keyLine is the line of key in data, 0 if the parser cannot say: the file
// is decoded again into nested structs holding only that key, whose value
// refuses to decode, so the TOML parser itself locates it (quoted keys,
// dotted keys and [tables] included).
func keyLine(data []byte, key toml.Key) int {
	t := reflect.TypeFor[rejectKey]()
	for i := len(key) - 1; i >= 0; i-- {
		t = reflect.StructOf([]reflect.StructField{{
			Name: "K",
			Type: t,
			Tag:  reflect.StructTag(fmt.Sprintf("toml:%q", key[i])),
		}})
	}
	_, err := toml.Decode(string(data), reflect.New(t).Interface())
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return pe.Position.Line
	}
	return 0
}
