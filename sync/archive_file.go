package sync

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"elvcare/domain"
	"elvcare/sync/store"
)

// MaxFileBytes is the largest archive document accepted.
const MaxFileBytes = 20 << 20

// FileContentTypes are the media types archive documents may have.
var FileContentTypes = []string{
	"application/pdf",
	"image/png",
	"image/jpeg",
	"image/webp",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/zip",
	"text/plain",
}

// FileArgs are the arguments of file.register: a blob already stored (its
// hex SHA-256), its original name and media type.
type FileArgs struct {
	Hash        string `json:"hash"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
}

// FileRecord is a registered archive document. Files are addressed by
// content: the same bytes uploaded twice are one file, with the name and
// uploader of the first upload.
type FileRecord struct {
	Hash        string    `json:"hash"`
	Name        string    `json:"name"`
	ContentType string    `json:"contentType"`
	Size        int64     `json:"size"`
	UploadedBy  string    `json:"uploadedBy"`
	At          time.Time `json:"at"`
}

// CleanFileName keeps a file name safe to show and to put in a download
// header: no directories, no control characters, at most 200 characters.
func CleanFileName(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200])
	}
	return s
}

func registerFile(c *Ctx, raw json.RawMessage) (any, error) {
	var a FileArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	p := domain.Problems{}
	if !c.e.st.Blobs().Has(a.Hash) {
		p.Add("hash", "unknown_blob")
	}
	if !slices.Contains(FileContentTypes, a.ContentType) {
		p.Add("contentType", "invalid_choice")
	}
	switch {
	case a.Size <= 0:
		p.Add("size", "must_be_positive")
	case a.Size > MaxFileBytes:
		p.Add("size", "too_large")
	}
	name := CleanFileName(a.Name)
	if name == "" {
		p.Add("name", "required")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var prev FileRecord
	err := getTarget(c, CollFiles, a.Hash, &prev)
	if err == nil {
		return prev, nil
	}
	if !errors.Is(err, store.ErrNotFound) && domain.KindOf(err) != domain.KindNotFound {
		return nil, err
	}
	f := FileRecord{Hash: a.Hash, Name: name, ContentType: a.ContentType, Size: a.Size, UploadedBy: actorRef(c.Actor), At: c.Now}
	return f, c.Put(CollFiles, f.Hash, f, PutOpts{Scopes: archiveScopes})
}
