package server

import (
	"bytes"
	"encoding/json"
	"testing"

	"leoc/internal/leoc"
)

// referenceJSON is how jsonObject was encoded before json_append.go: every
// key and value through encoding/json.
func referenceJSON(o *jsonObject) []byte {
	if o == nil {
		return []byte("null")
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		var vb []byte
		switch v := o.vals[i].(type) {
		case *jsonObject:
			vb = referenceJSON(v)
		case []*jsonObject:
			if v == nil {
				vb = []byte("null")
				break
			}
			parts := [][]byte{}
			for _, o := range v {
				parts = append(parts, referenceJSON(o))
			}
			vb = append(append([]byte("["), bytes.Join(parts, []byte(","))...), ']')
		default:
			vb, _ = json.Marshal(v)
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	inner := &jsonObject{}
	inner.add("ward", 3)
	inner.add("name", "वडा नं. ३ <b>&</b> \"quoted\" \\ tab\t\u2028")
	inner.add("loss", leoc.Money(12500050))
	inner.add("big", int64(-9007199254740993))
	inner.add("flag", true)
	inner.add("ratio", 0.1)
	inner.add("none", nil)
	inner.add("list", []string{"a", "<b>"})
	inner.add("bad utf-8", "\xff\xfe")
	o := &jsonObject{}
	o.add("totals", inner)
	o.add("by_ward", []*jsonObject{inner, {}})
	o.add("empty", []*jsonObject{})
	o.add("nil list", []*jsonObject(nil))
	o.add("nil object", (*jsonObject)(nil))
	o.add("plain", "aggregates")
	got, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	want := referenceJSON(o)
	var compacted bytes.Buffer
	if err := json.Compact(&compacted, want); err != nil {
		t.Fatalf("reference: %v", err)
	}
	if !bytes.Equal(got, compacted.Bytes()) {
		t.Fatalf("appendJSON\n%s\nencoding/json\n%s", got, compacted.Bytes())
	}
	direct, err := o.appendJSON(nil)
	if err != nil || !bytes.Equal(direct, got) {
		t.Fatalf("appendJSON without encoding/json around it differs:\n%s", direct)
	}
}
