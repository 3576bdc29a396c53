package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
)

// Media types of archive documents.
const (
	mimePDF  = "application/pdf"
	mimePNG  = "image/png"
	mimeJPEG = "image/jpeg"
	mimeWebP = "image/webp"
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mimeZIP  = "application/zip"
	mimeTXT  = "text/plain"
)

// Errors of uploads.
var (
	ErrFileEmpty           = domain.E(domain.KindInvalid, "file.empty")
	ErrFileUnsupportedType = domain.E(domain.KindInvalid, "file.unsupported_type")
	ErrFileTypeMismatch    = domain.E(domain.KindInvalid, "file.type_mismatch")
)

var fileExt = map[string]string{
	mimePDF: ".pdf", mimePNG: ".png", mimeJPEG: ".jpg", mimeWebP: ".webp",
	mimeXLSX: ".xlsx", mimeDOCX: ".docx", mimeZIP: ".zip", mimeTXT: ".txt",
}

// fileType decides an upload's media type from what the client declared,
// the file name and the content, which must agree: Office files are zip
// archives to a sniffer, so their name or declared type tells them apart;
// text must be UTF-8. A declared type of "" or application/octet-stream
// leaves the decision to the content and the name.
func fileType(declared, name string, body []byte) (string, error) {
	sniffed, _, _ := strings.Cut(http.DetectContentType(body), ";")
	ext := strings.ToLower(filepath.Ext(name))
	if declared == "application/x-zip-compressed" {
		declared = mimeZIP
	}
	if declared == "" || declared == "application/octet-stream" {
		switch sniffed {
		case mimePDF, mimePNG, mimeJPEG, mimeWebP:
			declared = sniffed
		case mimeZIP:
			switch ext {
			case ".xlsx":
				declared = mimeXLSX
			case ".docx":
				declared = mimeDOCX
			default:
				declared = mimeZIP
			}
		case mimeTXT:
			declared = mimeTXT
		default:
			return "", ErrFileUnsupportedType
		}
	}
	want := declared
	switch declared {
	case mimePDF, mimePNG, mimeJPEG, mimeWebP, mimeTXT:
	case mimeXLSX, mimeDOCX, mimeZIP:
		want = mimeZIP
	default:
		return "", ErrFileUnsupportedType
	}
	if sniffed != want || declared == mimeTXT && !utf8.Valid(body) {
		return "", ErrFileTypeMismatch
	}
	return declared, nil
}

func (s *Server) fileRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/files", Access: archiveWrite, Tag: "archive",
			Summary: "Upload an archive document (PDF, PNG, JPEG, WebP, xlsx, docx, zip, txt; at most 20 MB); ?name= is its file name",
			RawBody: sync.FileContentTypes, Query: FileUploadQuery{}, Resp: sync.FileRecord{}, Status: 201, Mutates: true,
			Handle: s.uploadFile},
		{Method: "GET", Path: "/api/files/:hash", Access: archiveRead, Tag: "archive", Summary: "Download an archive document",
			RawResp: "application/octet-stream", Handle: s.downloadFile},
	}
}

func (s *Server) uploadFile(c *fiber.Ctx, sess *Session) error {
	body := c.Body()
	switch {
	case len(body) == 0:
		return ErrFileEmpty
	case len(body) > sync.MaxFileBytes:
		return domain.ErrTooLarge
	}
	declared, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil {
		declared = ""
	}
	name := sync.CleanFileName(queryParams(c).str("name"))
	ct, err := fileType(strings.ToLower(declared), name, body)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx()
	defer cancel()
	hash, size, err := s.eng.Store().Blobs().Put(ctx, bytes.NewReader(body), sync.MaxFileBytes)
	if err != nil {
		return err
	}
	if name == "" {
		name = hash[:12] + fileExt[ct]
	}
	return s.apply(c, sess, "file.register", sync.FileArgs{Hash: hash, Name: name, ContentType: ct, Size: size}, 201)
}

func (s *Server) downloadFile(c *fiber.Ctx, _ *Session) error {
	hash := strings.Clone(c.Params("hash"))
	ctx, cancel := storeCtx()
	defer cancel()
	f, err := s.eng.Archive().File(ctx, hash)
	if err != nil {
		return err
	}
	rc, _, err := s.eng.Store().Blobs().Open(hash)
	if errors.Is(err, store.ErrNotFound) {
		return domain.ErrNotFound
	}
	if err != nil {
		return err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return err
	}
	ct, disposition := f.ContentType, "attachment"
	switch ct {
	case mimeTXT:
		ct += "; charset=utf-8"
		disposition = "inline"
	case mimePDF, mimePNG, mimeJPEG, mimeWebP:
		disposition = "inline"
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderContentDisposition, disposition+"; filename*=UTF-8''"+url.PathEscape(f.Name))
	c.Set(fiber.HeaderCacheControl, "private, max-age=31536000, immutable")
	c.Set(fiber.HeaderETag, `"`+hash+`"`)
	return c.Send(data)
}
