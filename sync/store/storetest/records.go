package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"elvcare/sync/store"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func testRecords(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	cases := []struct {
		name, coll, id, data string
	}{
		{"plain", "tickets", "0192e6a0-0000-7000-8000-000000000001", `{"title":"门禁故障"}`},
		{"chinese names", "客户", "张三-001", "数据"},
		{"binary data", "files", "f1", "\x00\x01\xfe\xff"},
		{"slash and spaces in id", "sites", "a/b c", "x"},
		{"long id", "tickets", strings.Repeat("x", 1000), "long"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			update(t, s, put(tc.coll, tc.id, tc.data))
			view(t, s, func(tx store.ReadTx) error {
				got, ok := get(t, tx, tc.coll, tc.id)
				if !ok || got != tc.data {
					t.Errorf("Get after Put = %q, %v; want %q", got, ok, tc.data)
				}
				return nil
			})
			update(t, s, put(tc.coll, tc.id, tc.data+"-2"))
			view(t, s, func(tx store.ReadTx) error {
				if got, _ := get(t, tx, tc.coll, tc.id); got != tc.data+"-2" {
					t.Errorf("Get after replace = %q, want %q", got, tc.data+"-2")
				}
				return nil
			})
			update(t, s, func(tx store.Tx) error { return tx.Delete(tc.coll, tc.id) })
			view(t, s, func(tx store.ReadTx) error {
				if _, err := tx.Get(tc.coll, tc.id); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("Get after Delete: err = %v, want ErrNotFound", err)
				}
				return nil
			})
			// Deleting what is not there is no error.
			update(t, s, func(tx store.Tx) error { return tx.Delete(tc.coll, tc.id) })
		})
	}

	t.Run("collections do not mix", func(t *testing.T) {
		update(t, s, func(tx store.Tx) error {
			for _, c := range []string{"a", "ab", "b"} {
				if err := tx.Put(c, "1", []byte(c)); err != nil {
					return err
				}
			}
			return nil
		})
		view(t, s, func(tx store.ReadTx) error {
			if diff := cmp.Diff(records(t, tx, "a"), map[string]string{"1": "a"}); diff != "" {
				t.Errorf("Scan(a) (-got +want):\n%s", diff)
			}
			if _, ok := get(t, tx, "a", "b"); ok {
				t.Errorf("record a/b found, but only ab/1 and b/1 were stored")
			}
			return nil
		})
	})

	t.Run("missing", func(t *testing.T) {
		view(t, s, func(tx store.ReadTx) error {
			if _, err := tx.Get("tickets", "nope"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Get(missing): err = %v, want ErrNotFound", err)
			}
			return nil
		})
	})
}

func testInvalidKeys(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	cases := []struct {
		name string
		fn   func(tx store.Tx) error
	}{
		{"empty collection", put("", "1", "x")},
		{"empty id", put("c", "", "x")},
		{"NUL in collection", put("c\x00d", "1", "x")},
		{"NUL in id", put("c", "1\x002", "x")},
		{"empty index name", put("c", "1", "x", store.Index{Name: "", Value: "v"})},
		{"NUL in index name", put("c", "1", "x", store.Index{Name: "n\x00", Value: "v"})},
		{"NUL in index value", put("c", "1", "x", store.Index{Name: "n", Value: "v\x00w"})},
		{"delete with NUL id", func(tx store.Tx) error { return tx.Delete("c", "\x00") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Update(t.Context(), tc.fn)
			if !errors.Is(err, store.ErrInvalidKey) {
				t.Errorf("Update: err = %v, want ErrInvalidKey", err)
			}
		})
	}
	view(t, s, func(tx store.ReadTx) error {
		if _, err := tx.Get("c", "1\x002"); !errors.Is(err, store.ErrInvalidKey) {
			t.Errorf("Get with NUL id: err = %v, want ErrInvalidKey", err)
		}
		if got := records(t, tx, "c"); len(got) != 0 {
			t.Errorf("records after refused puts: %v", got)
		}
		return nil
	})
}

// testCopies checks that neither the caller's buffers nor the returned
// ones share memory with what is stored.
func testCopies(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	update(t, s, func(tx store.Tx) error {
		buf := []byte("original")
		if err := tx.Put("c", "1", buf); err != nil {
			return err
		}
		copy(buf, "CHANGED!")
		got, err := tx.Get("c", "1")
		if err != nil {
			return err
		}
		copy(got, "mutated!")
		return nil
	})
	view(t, s, func(tx store.ReadTx) error {
		got, err := tx.Get("c", "1")
		if err != nil {
			return err
		}
		copy(got, "mutated!")
		if got, _ := get(t, tx, "c", "1"); got != "original" {
			t.Errorf("stored %q, want %q", got, "original")
		}
		return nil
	})
}

func testScan(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	update(t, s, func(tx store.Tx) error {
		// Stored out of order: Scan must sort.
		for _, id := range []string{"d", "b", "e", "a", "c"} {
			if err := tx.Put("s", id, []byte("v"+id)); err != nil {
				return err
			}
		}
		return tx.Put("s2", "a", []byte("other collection"))
	})
	cases := []struct {
		name    string
		after   string
		limit   int
		stopAt  string // fn returns ErrStop after this id
		failAt  string // fn returns errBoom at this id
		want    []string
		wantErr error
	}{
		{name: "all", want: []string{"a", "b", "c", "d", "e"}},
		{name: "after existing", after: "b", want: []string{"c", "d", "e"}},
		{name: "after missing", after: "bb", want: []string{"c", "d", "e"}},
		{name: "after last", after: "e", want: nil},
		{name: "limit", limit: 2, want: []string{"a", "b"}},
		{name: "after and limit", after: "c", limit: 1, want: []string{"d"}},
		{name: "limit beyond end", after: "d", limit: 10, want: []string{"e"}},
		{name: "stop", stopAt: "c", want: []string{"a", "b", "c"}},
		{name: "error", failAt: "b", want: []string{"a", "b"}, wantErr: errBoom},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := s.View(t.Context(), func(tx store.ReadTx) error {
				return tx.Scan("s", tc.after, tc.limit, func(id string, data []byte) error {
					if string(data) != "v"+id {
						t.Errorf("data of %s = %q", id, data)
					}
					got = append(got, id)
					switch id {
					case tc.stopAt:
						return store.ErrStop
					case tc.failAt:
						return errBoom
					}
					return nil
				})
			})
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("Scan: err = %v, want %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(got, tc.want); diff != "" {
				t.Errorf("Scan ids (-got +want):\n%s", diff)
			}
		})
	}
}

// testGetMany: records asked for come back in order, those not there are
// left out, records not asked for between them — a few, or long runs —
// never, in a committed snapshot and under a closure's own writes alike.
func testGetMany(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	id := func(i int) string { return fmt.Sprintf("r%04d", i) }
	update(t, s, func(tx store.Tx) error {
		for i := range 400 {
			if err := tx.Put("m", id(i), []byte("v"+id(i))); err != nil {
				return err
			}
		}
		if err := tx.Put("m0", "r0001", []byte("other collection")); err != nil {
			return err
		}
		return tx.Put("l", "r0001", []byte("a shorter collection"))
	})
	all := func(step int) (ids []string) {
		for i := 0; i < 400; i += step {
			ids = append(ids, id(i))
		}
		return ids
	}
	cases := []struct {
		name    string
		ids     []string
		stopAt  string // fn returns ErrStop after this id
		failAt  string // fn returns errBoom at this id
		want    []string
		wantErr error
	}{
		{name: "none", ids: nil, want: nil},
		{name: "neighbours", ids: all(1), want: all(1)},
		{name: "every third", ids: all(3), want: all(3)},
		{name: "far apart", ids: all(50), want: all(50)},
		{name: "runs and gaps", ids: []string{id(0), id(1), id(2), id(100), id(101), id(399)}, want: []string{id(0), id(1), id(2), id(100), id(101), id(399)}},
		{name: "missing ones left out", ids: []string{"a", id(5), id(5) + "x", id(6), "r9999", "s"}, want: []string{id(5), id(6)}},
		{name: "only missing", ids: []string{"q", "z"}, want: nil},
		{name: "stop", ids: all(10), stopAt: id(20), want: []string{id(0), id(10), id(20)}},
		{name: "error", ids: all(100), failAt: id(100), want: []string{id(0), id(100)}, wantErr: errBoom},
		{name: "not ascending", ids: []string{id(2), id(1)}, wantErr: store.ErrInvalidKey},
		{name: "repeated", ids: []string{id(1), id(1)}, wantErr: store.ErrInvalidKey},
		{name: "bad id", ids: []string{"a\x00b"}, wantErr: store.ErrInvalidKey},
	}
	check := func(t *testing.T, tx store.ReadTx, ids []string, stopAt, failAt string, data func(string) string) ([]string, error) {
		var got []string
		err := tx.GetMany("m", ids, func(id string, d []byte) error {
			if string(d) != data(id) {
				t.Errorf("data of %s = %q, want %q", id, d, data(id))
			}
			got = append(got, id)
			switch id {
			case stopAt:
				return store.ErrStop
			case failAt:
				return errBoom
			}
			return nil
		})
		return got, err
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := s.View(t.Context(), func(tx store.ReadTx) error {
				var err error
				got, err = check(t, tx, tc.ids, tc.stopAt, tc.failAt, func(id string) string { return "v" + id })
				return err
			})
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("GetMany: err = %v, want %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(got, tc.want); diff != "" {
				t.Errorf("GetMany ids (-got +want):\n%s", diff)
			}
		})
	}
	// Inside Update: the closure's puts and deletes count, committed or not.
	t.Run("own writes", func(t *testing.T) {
		err := s.Update(t.Context(), func(tx store.Tx) error {
			for i := 0; i < 400; i += 7 {
				if err := tx.Delete("m", id(i)); err != nil {
					return err
				}
			}
			for _, nid := range []string{id(3) + "a", id(250) + "a"} {
				if err := tx.Put("m", nid, []byte("new "+nid)); err != nil {
					return err
				}
			}
			if err := tx.Put("m", id(1), []byte("changed")); err != nil {
				return err
			}
			ids := append(all(1), id(3)+"a", id(250)+"a")
			slices.Sort(ids)
			got, err := check(t, tx, ids, "", "", func(id string) string {
				switch {
				case id == "r0001":
					return "changed"
				case len(id) > 5:
					return "new " + id
				}
				return "v" + id
			})
			if err != nil {
				return err
			}
			var want []string
			for _, x := range ids {
				var n int
				if _, err := fmt.Sscanf(x, "r%04d", &n); err == nil && len(x) == 5 && n%7 == 0 {
					continue // deleted
				}
				want = append(want, x)
			}
			if diff := cmp.Diff(got, want); diff != "" {
				t.Errorf("GetMany in Update (-got +want):\n%s", diff)
			}
			return errBoom // roll back
		})
		if !errors.Is(err, errBoom) {
			t.Fatal(err)
		}
	})
}

// testReadOwnWrites checks that reads inside Update see the closure's own
// puts and deletes, merged in order with what was committed before.
func testReadOwnWrites(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	update(t, s, func(tx store.Tx) error {
		for _, id := range []string{"a", "b", "c"} {
			if err := tx.Put("r", id, []byte("old "+id), store.Index{Name: "k", Value: "x"}); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		steps := []func() error{
			func() error { return tx.Delete("r", "b") },
			func() error { return tx.Put("r", "a", []byte("new a")) },
			func() error { return tx.Put("r", "bb", []byte("new bb"), store.Index{Name: "k", Value: "x"}) },
			func() error { return tx.Put("r", "0", []byte("new 0"), store.Index{Name: "k", Value: "x"}) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		want := map[string]string{"0": "new 0", "a": "new a", "bb": "new bb", "c": "old c"}
		if diff := cmp.Diff(records(t, tx, "r"), want); diff != "" {
			t.Errorf("Scan inside the update (-got +want):\n%s", diff)
		}
		var order []string
		if err := tx.Scan("r", "a", 0, func(id string, _ []byte) error {
			order = append(order, id)
			return nil
		}); err != nil {
			return err
		}
		if diff := cmp.Diff(order, []string{"bb", "c"}); diff != "" {
			t.Errorf("Scan after a inside the update (-got +want):\n%s", diff)
		}
		if diff := cmp.Diff(lookup(t, tx, "r", "k", "x"), []string{"0", "bb", "c"}); diff != "" {
			t.Errorf("Lookup inside the update (-got +want):\n%s", diff)
		}
		if _, ok := get(t, tx, "r", "b"); ok {
			t.Errorf("deleted record r/b still readable in its update")
		}
		return nil
	})
}

func testAtomic(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	writeThree := func(tx store.Tx) error {
		for _, c := range []string{"customers", "tickets", "audit"} {
			if err := tx.Put(c, "1", []byte(c), store.Index{Name: "n", Value: "v"}); err != nil {
				return err
			}
			if _, err := tx.Emit(store.Change{Collection: c, ID: "1", Op: "put", Scopes: []string{"all"}}); err != nil {
				return err
			}
		}
		return nil
	}
	type state struct {
		Records map[string]map[string]string
		Index   map[string][]string
		Feed    int
		Last    uint64
	}
	read := func(t *testing.T) state {
		st := state{Records: map[string]map[string]string{}, Index: map[string][]string{}}
		view(t, s, func(tx store.ReadTx) error {
			for _, c := range []string{"customers", "tickets", "audit"} {
				st.Records[c] = records(t, tx, c)
				st.Index[c] = lookup(t, tx, c, "n", "v")
			}
			st.Feed = len(changes(t, tx, 0))
			return nil
		})
		st.Last = s.LastVersion()
		return st
	}
	empty := state{
		Records: map[string]map[string]string{"customers": {}, "tickets": {}, "audit": {}},
		Index:   map[string][]string{"customers": nil, "tickets": nil, "audit": nil},
	}
	full := state{
		Records: map[string]map[string]string{
			"customers": {"1": "customers"}, "tickets": {"1": "tickets"}, "audit": {"1": "audit"},
		},
		Index: map[string][]string{"customers": {"1"}, "tickets": {"1"}, "audit": {"1"}},
		Feed:  3,
		Last:  3,
	}
	cases := []struct {
		name string
		fn   func(tx store.Tx) error
		want state
	}{
		{"failing closure leaves nothing", func(tx store.Tx) error {
			if err := writeThree(tx); err != nil {
				return err
			}
			return errBoom
		}, empty},
		{"successful closure leaves all", writeThree, full},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Update(t.Context(), tc.fn)
			if tc.want.Last == 0 && !errors.Is(err, errBoom) {
				t.Errorf("Update: err = %v, want the closure's error", err)
			}
			if tc.want.Last > 0 && err != nil {
				t.Errorf("Update: %v", err)
			}
			if diff := cmp.Diff(read(t), tc.want, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("state (-got +want):\n%s", diff)
			}
		})
	}
}

func testIndexes(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	ix := func(name, value string) store.Index { return store.Index{Name: name, Value: value} }
	type look struct{ name, value string }
	steps := []struct {
		name string
		fn   func(tx store.Tx) error
		want map[look][]string
	}{
		{
			name: "put with indexes",
			fn: func(tx store.Tx) error {
				return errors.Join(
					tx.Put("t", "t1", []byte("1"), ix("status", "open"), ix("tech", "u1"), ix("tech", "u2")),
					tx.Put("t", "t2", []byte("2"), ix("status", "open"), ix("tech", "u1"), ix("tech", "u1")),
					tx.Put("t", "t3", []byte("3"), ix("status", "closed"), ix("due", "")),
					tx.Put("other", "t9", []byte("9"), ix("status", "open")),
				)
			},
			want: map[look][]string{
				{"status", "open"}: {"t1", "t2"}, {"tech", "u1"}: {"t1", "t2"}, {"tech", "u2"}: {"t1"},
				{"status", "closed"}: {"t3"}, {"due", ""}: {"t3"}, {"status", "done"}: nil,
			},
		},
		{
			name: "replace with different indexes",
			fn: func(tx store.Tx) error {
				return tx.Put("t", "t1", []byte("1b"), ix("status", "done"), ix("tech", "u1"))
			},
			want: map[look][]string{
				{"status", "open"}: {"t2"}, {"status", "done"}: {"t1"}, {"tech", "u1"}: {"t1", "t2"},
				{"tech", "u2"}: nil,
			},
		},
		{
			name: "replace without indexes",
			fn:   func(tx store.Tx) error { return tx.Put("t", "t3", []byte("3b")) },
			want: map[look][]string{{"status", "closed"}: nil, {"due", ""}: nil},
		},
		{
			name: "delete",
			fn:   func(tx store.Tx) error { return tx.Delete("t", "t2") },
			want: map[look][]string{{"status", "open"}: nil, {"tech", "u1"}: {"t1"}},
		},
		{
			name: "put back a deleted id",
			fn:   func(tx store.Tx) error { return tx.Put("t", "t2", []byte("2b"), ix("status", "open")) },
			want: map[look][]string{{"status", "open"}: {"t2"}, {"tech", "u1"}: {"t1"}},
		},
		{
			name: "replace and delete in one update",
			fn: func(tx store.Tx) error {
				return errors.Join(
					tx.Put("t", "t4", []byte("4"), ix("status", "open")),
					tx.Put("t", "t4", []byte("4b"), ix("status", "new")),
					tx.Delete("t", "t2"),
				)
			},
			want: map[look][]string{{"status", "open"}: nil, {"status", "new"}: {"t4"}},
		},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			update(t, s, st.fn)
			view(t, s, func(tx store.ReadTx) error {
				for l, want := range st.want {
					if diff := cmp.Diff(lookup(t, tx, "t", l.name, l.value), want, cmpopts.EquateEmpty()); diff != "" {
						t.Errorf("Lookup(%s=%q) (-got +want):\n%s", l.name, l.value, diff)
					}
				}
				return nil
			})
		})
	}
	t.Run("other collection untouched", func(t *testing.T) {
		view(t, s, func(tx store.ReadTx) error {
			if diff := cmp.Diff(lookup(t, tx, "other", "status", "open"), []string{"t9"}); diff != "" {
				t.Errorf("Lookup (-got +want):\n%s", diff)
			}
			return nil
		})
	})
}

func testScanIndex(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	entries := map[string][]string{ // id → values of index "name"
		"c1": {"上海", "海康"},
		"c2": {"上班"},
		"c3": {"ab", "abc"},
		"c4": {"abc"},
		"c5": {"b"},
	}
	update(t, s, func(tx store.Tx) error {
		for id, vals := range entries {
			var ixs []store.Index
			for _, v := range vals {
				ixs = append(ixs, store.Index{Name: "name", Value: v})
			}
			ixs = append(ixs, store.Index{Name: "other", Value: "abc"})
			if err := tx.Put("cust", id, []byte(id), ixs...); err != nil {
				return err
			}
		}
		return nil
	})
	type pair struct{ Value, ID string }
	all := []pair{{"ab", "c3"}, {"abc", "c3"}, {"abc", "c4"}, {"b", "c5"}, {"上海", "c1"}, {"上班", "c2"}, {"海康", "c1"}}
	cases := []struct {
		name   string
		prefix string
		stop   int // return ErrStop after this many pairs
		want   []pair
	}{
		{name: "empty prefix is all", want: all},
		{name: "ascii prefix", prefix: "ab", want: []pair{{"ab", "c3"}, {"abc", "c3"}, {"abc", "c4"}}},
		{name: "exact value is a prefix too", prefix: "abc", want: []pair{{"abc", "c3"}, {"abc", "c4"}}},
		{name: "chinese prefix", prefix: "上", want: []pair{{"上海", "c1"}, {"上班", "c2"}}},
		{name: "no match", prefix: "zz", want: nil},
		{name: "stop", stop: 2, want: all[:2]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []pair
			view(t, s, func(tx store.ReadTx) error {
				return tx.ScanIndex("cust", "name", tc.prefix, func(value, id string) error {
					got = append(got, pair{value, id})
					if len(got) == tc.stop {
						return store.ErrStop
					}
					return nil
				})
			})
			if diff := cmp.Diff(got, tc.want); diff != "" {
				t.Errorf("ScanIndex(%q) (-got +want):\n%s", tc.prefix, diff)
			}
		})
	}
	t.Run("sorted like the ids", func(t *testing.T) {
		view(t, s, func(tx store.ReadTx) error {
			ids := lookup(t, tx, "cust", "other", "abc")
			if !slices.IsSorted(ids) || len(ids) != len(entries) {
				t.Errorf("Lookup = %v, want all %d ids sorted", ids, len(entries))
			}
			return nil
		})
	})
}
