package sync

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"elvcare/domain"
)

func TestDiffJSON(t *testing.T) {
	tests := []struct {
		name, before, after, wantBefore, wantAfter string
	}{
		{"changed field", `{"a":1,"b":"x"}`, `{"a":2,"b":"x"}`, `{"a":1}`, `{"a":2}`},
		{"appended to a list", `{"work":[{"id":"1"}],"rev":3}`, `{"work":[{"id":"1"},{"id":"2"}],"rev":4}`, `{"rev":3}`, `{"rev":4,"work":{"$appended":[{"id":"2"}]}}`},
		{"first element", `{"work":[]}`, `{"work":[{"id":"1"}]}`, `{}`, `{"work":{"$appended":[{"id":"1"}]}}`},
		{"list rewritten", `{"l":[1,2]}`, `{"l":[2,3]}`, `{"l":[1,2]}`, `{"l":[2,3]}`},
		{"field removed", `{"a":1,"b":2}`, `{"a":1}`, `{"b":2}`, `{"b":null}`},
		{"field added", `{"a":1}`, `{"a":1,"c":[1]}`, `{}`, `{"c":[1]}`},
		{"not an object", `[1]`, `[1,2]`, `[1]`, `[1,2]`},
		{"some members changed", `{"answers":{"a":{"x":1},"b":{"x":2},"c":{"x":3}},"rev":1}`, `{"answers":{"a":{"x":1},"b":{"x":9},"d":{"x":4}},"rev":2}`,
			`{"answers":{"$members":{"b":{"x":2},"c":{"x":3}}},"rev":1}`, `{"answers":{"$members":{"b":{"x":9},"c":null,"d":{"x":4}}},"rev":2}`},
		{"member added", `{"o":{"a":1}}`, `{"o":{"a":1,"b":2}}`, `{"o":{"$members":{}}}`, `{"o":{"$members":{"b":2}}}`},
		{"every member changed", `{"o":{"a":1,"b":[1]}}`, `{"o":{"a":2,"b":[1,2]}}`, `{"o":{"a":1,"b":[1]}}`, `{"o":{"a":2,"b":[1,2]}}`},
		{"emptied", `{"o":{"a":1}}`, `{"o":{}}`, `{"o":{"a":1}}`, `{"o":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, a := diffJSON([]byte(tt.before), []byte(tt.after))
			if string(b) != tt.wantBefore || string(a) != tt.wantAfter {
				t.Errorf("got %s → %s, want %s → %s", b, a, tt.wantBefore, tt.wantAfter)
			}
		})
	}
}

// diffJSONByMaps is the plain way to diff: decode both objects into maps.
// diffJSON must agree with it on every object.
func diffJSONByMaps(before, after []byte) (json.RawMessage, json.RawMessage) {
	var b, a map[string]json.RawMessage
	if json.Unmarshal(before, &b) != nil || json.Unmarshal(after, &a) != nil {
		return before, after
	}
	db, da := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	for k, av := range a {
		bv, had := b[k]
		if had && bytes.Equal(bv, av) {
			continue
		}
		if had {
			if added, ok := appended(bv, av); ok {
				da[k], _ = json.Marshal(map[string]json.RawMessage{"$appended": added})
				continue
			}
			if mb, ma, ok := membersByMaps(bv, av); ok {
				db[k], da[k] = mb, ma
				continue
			}
			db[k] = bv
		}
		da[k] = av
	}
	for k, bv := range b {
		if _, ok := a[k]; !ok {
			db[k] = bv
			da[k] = json.RawMessage("null")
		}
	}
	ob, _ := json.Marshal(db)
	oa, _ := json.Marshal(da)
	return ob, oa
}

// membersByMaps is the $members rule the plain way.
func membersByMaps(before, after json.RawMessage) (json.RawMessage, json.RawMessage, bool) {
	var b, a map[string]json.RawMessage
	if !bytes.HasPrefix(before, []byte("{")) || !bytes.HasPrefix(after, []byte("{")) ||
		json.Unmarshal(before, &b) != nil || json.Unmarshal(after, &a) != nil || len(b) == 0 || len(a) == 0 {
		return nil, nil, false
	}
	db, da := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	same := 0
	for k, av := range a {
		if bv, had := b[k]; !had || !bytes.Equal(bv, av) {
			da[k] = av
			if had {
				db[k] = bv
			}
		} else {
			same++
		}
	}
	for k, bv := range b {
		if _, ok := a[k]; !ok {
			db[k], da[k] = bv, json.RawMessage("null")
		}
	}
	if len(da) == 0 || same == 0 {
		return nil, nil, false
	}
	ob, _ := json.Marshal(map[string]any{"$members": db})
	oa, _ := json.Marshal(map[string]any{"$members": da})
	return ob, oa, true
}

func TestDiffJSONAgreesWithMaps(t *testing.T) {
	tk := domain.Ticket{ID: "01", Number: "LL-2026-00001", State: domain.TicketOnSite, Requested: `画面 "中断" {急} [3 号]\ 楼`,
		Work: []domain.WorkRecord{{ID: "w1", Text: "检查 }] 硬盘"}}}
	before, _ := json.Marshal(tk)
	tk.Work = append(tk.Work, domain.WorkRecord{ID: "w2", Text: "更换 \"硬盘\""})
	tk.Rev++
	tk.Requested = "画面中断"
	mid, _ := json.Marshal(tk)
	tk.Work = tk.Work[1:]
	tk.Number = ""
	after, _ := json.Marshal(tk)
	pairs := [][2]string{
		{string(before), string(mid)}, {string(mid), string(after)}, {string(before), string(after)},
		{`{"a":{"b":[1,{"c":"}"}]},"d":true,"e":null,"f":-1.5e3}`, `{"a":{"b":[1,{"c":"]"}]},"d":false,"f":-1.5e3,"g":"x"}`},
		{`{"a":{"b":[1,{"c":"}"}],"x":1},"d":true}`, `{"a":{"b":[1,{"c":"]"}],"x":1},"d":false}`},
		{`{"m":{"k1":{"c":1},"k2":{"c":2},"k3":3}}`, `{"m":{"k1":{"c":1},"k2":{"c":5},"k4":4}}`},
		{` { "a" : [1] , "b" : "x" } `, `{"a":[1,2],"b":"y"}`},
		{`{}`, `{"a":1}`},
		{`{"a":1}`, `{}`},
		{`{"a":1`, `{"a":2}`},
		{`{"a":1}x`, `{"a":2}`},
		{`"text"`, `{"a":2}`},
	}
	for _, p := range pairs {
		gb, ga := diffJSON([]byte(p[0]), []byte(p[1]))
		wb, wa := diffJSONByMaps([]byte(p[0]), []byte(p[1]))
		if !bytes.Equal(gb, wb) || !bytes.Equal(ga, wa) {
			t.Errorf("diff of %s → %s:\n got %s → %s\nwant %s → %s", p[0], p[1], gb, ga, wb, wa)
		}
	}
}

func FuzzDiffJSON(f *testing.F) {
	f.Add(`{"a":1,"b":[1]}`, `{"a":2,"b":[1,2]}`)
	f.Add(`{"s":"\"}"}`, `{"s":"\\"}`)
	f.Add(`{"m":{"a":1,"b":2}}`, `{"m":{"a":1,"b":3,"c":[]}}`)
	f.Fuzz(func(t *testing.T, before, after string) {
		gb, ga := diffJSON([]byte(before), []byte(after))
		if !json.Valid([]byte(before)) || !json.Valid([]byte(after)) {
			return
		}
		var b, a map[string]json.RawMessage
		if json.Unmarshal([]byte(before), &b) != nil || json.Unmarshal([]byte(after), &a) != nil {
			return
		}
		// The server writes compact JSON, each name once and escaped one
		// way (what encoding/json escapes is never written raw); other
		// input only needs to give some answer.
		if strings.ContainsAny(before+after, "\\<>&\u2028\u2029") || !utf8.ValidString(before+after) || !compactUnique(before) || !compactUnique(after) {
			return
		}
		wb, wa := diffJSONByMaps([]byte(before), []byte(after))
		if !bytes.Equal(gb, wb) || !bytes.Equal(ga, wa) {
			t.Errorf("diff of %s → %s:\n got %s → %s\nwant %s → %s", before, after, gb, ga, wb, wa)
		}
	})
}

func compactUnique(s string) bool {
	var buf bytes.Buffer
	if json.Compact(&buf, []byte(s)) != nil || buf.String() != s {
		return false
	}
	fs, ok := topFields([]byte(s))
	seen := map[string]bool{}
	for _, f := range fs {
		if seen[string(f.name)] {
			return false
		}
		seen[string(f.name)] = true
	}
	return ok
}

func TestPublicDiffLeavesSecretsOut(t *testing.T) {
	secret := []string{"passwordHash", "epoch"}
	tests := []struct {
		name, before, after, pub, wantBefore, wantAfter string
	}{
		{"rename", `{"id":"u1","name":"王工","passwordHash":"h1","epoch":1}`, `{"id":"u1","name":"王师傅","passwordHash":"h1","epoch":1}`,
			`{"id":"u1","name":"王师傅"}`, `{"name":"王工"}`, `{"name":"王师傅"}`},
		{"only the secret changed", `{"id":"u1","passwordHash":"h1","epoch":1}`, `{"id":"u1","passwordHash":"h2","epoch":2}`,
			`{"id":"u1"}`, `{}`, `{}`},
		{"new record", "", `{"id":"u1","passwordHash":"h1"}`, `{"id":"u1"}`, "", `{"id":"u1"}`},
		{"malformed after", `{"id":"u1"}`, `{"id":"u1","passwordHash":"h1"`, `{}`, "", `{}`},
		{"malformed before", `{"id":"u1","passwordHash":`, `{"id":"u1","passwordHash":"h1"}`, `{"id":"u1"}`, "", `{"id":"u1"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before []byte
			if tt.before != "" {
				before = []byte(tt.before)
			}
			pub, b, a := publicDiff(before, []byte(tt.after), secret, true)
			if string(pub) != tt.pub || string(b) != tt.wantBefore || string(a) != tt.wantAfter {
				t.Errorf("got pub %s, %s → %s; want %s, %s → %s", pub, b, a, tt.pub, tt.wantBefore, tt.wantAfter)
			}
		})
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "01a2129f-b12a-7892-9229-1bb768e7f9aa", "tickets", `a"b\c`, "<&>", "王工", "tab\there", "\u2028"} {
		want, _ := json.Marshal(s)
		if got := appendJSONString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("appendJSONString(%q) = %s, want x%s", s, got, want)
		}
	}
}

// TestEncodeAuditAgreesWithEncoder: the hand-written audit encoding is
// what encoding/json writes for the same entry.
func TestEncodeAuditAgreesWithEncoder(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 30, 0, 123456789, time.UTC)
	dev := time.Date(2026, 11, 25, 17, 29, 58, 0, time.FixedZone("CST", 8*3600))
	for _, a := range []AuditEntry{
		{ID: "01a2129f-b12f-7ed9-a031-0ddd1d574640", At: at, Actor: System, Mutation: "user.update",
			Changes: []auditChange{{Collection: "users", ID: "u1", Version: 18, Before: json.RawMessage(`{"name":"王工"}`), After: json.RawMessage(`{"name":"王师傅"}`)}}},
		{ID: "a2", At: at, DeviceTime: &dev, Actor: Actor{UserID: "t1", Roles: []domain.Role{domain.RoleTechnician}, Device: "dev-1", Via: "device"},
			Mutation: "ticket.addWork", Changes: []auditChange{{Collection: "tickets", ID: "t\"<1>", Version: 1, After: json.RawMessage(`{"id":"t"}`)}, {Collection: "sites", ID: "s1", Version: 2}}},
		{ID: "a3", At: at, Actor: Actor{Via: "public"}, Mutation: "share.open"},
	} {
		got, err := encodeAudit(a)
		if err != nil {
			t.Fatal(err)
		}
		if a.Changes == nil {
			a.Changes = []auditChange{}
		}
		want, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("encodeAudit:\n got %s\nwant %s", got, want)
		}
	}
	if _, err := encodeAudit(AuditEntry{ID: "a4", At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}); err == nil {
		t.Error("a year past 9999 was encoded")
	}
}
