package server

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elvcare/domain"
	"elvcare/sync/store"
)

// ErrorBody is the one shape of every error answer.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the error itself: a stable code, a message in the
// request's language, and per-field messages for validation errors.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

var kindStatus = map[domain.Kind]int{
	domain.KindInvalid:         fiber.StatusUnprocessableEntity,
	domain.KindNotFound:        fiber.StatusNotFound,
	domain.KindUnauthenticated: fiber.StatusUnauthorized,
	domain.KindForbidden:       fiber.StatusForbidden,
	domain.KindConflict:        fiber.StatusConflict,
	domain.KindMalformed:       fiber.StatusBadRequest,
	domain.KindTooLarge:        fiber.StatusRequestEntityTooLarge,
	domain.KindUnavailable:     fiber.StatusInsufficientStorage,
	domain.KindTooMany:         fiber.StatusTooManyRequests,
}

// errorHandler is the one place any error becomes an HTTP answer. Internal
// detail is logged with the request id and never sent.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	lang := langOf(c)
	status, body := s.errorAnswer(c, err, lang)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(body)
}

func (s *Server) errorAnswer(c *fiber.Ctx, err error, lang Lang) (int, ErrorBody) {
	switch {
	case errors.Is(err, store.ErrDiskFull):
		err = domain.ErrDiskFull.Wrap(err)
	case errors.Is(err, store.ErrTooBig):
		err = domain.ErrTooLarge.Wrap(err)
	}
	var de *domain.Error
	var fe *fiber.Error
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &de) && de.Kind != domain.KindInternal:
		status := kindStatus[de.Kind]
		d := ErrorDetail{Code: de.Code, Message: localize(messages, de.Code, lang, de.Params)}
		if len(de.Fields) > 0 {
			d.Fields = make(map[string]string, len(de.Fields))
			for f, code := range de.Fields {
				d.Fields[f] = localize(fieldMessages, code, lang, nil)
			}
		}
		if de.Kind == domain.KindTooMany {
			if sec, ok := de.Params["seconds"]; ok {
				c.Set(fiber.HeaderRetryAfter, sec)
			}
		}
		if de.Err != nil {
			s.log.Debug("request refused", "id", requestID(c), "code", de.Code, "err", de.Err)
		}
		return status, ErrorBody{d}
	case errors.As(err, &se), errors.As(err, &te):
		return 400, ErrorBody{ErrorDetail{Code: "malformed", Message: localize(messages, "malformed", lang, nil)}}
	case errors.As(err, &fe):
		code := "internal"
		switch fe.Code {
		case 400:
			code = "malformed"
		case 401:
			code = "unauthenticated"
		case 403:
			code = "forbidden"
		case 404:
			code = "route_not_found"
		case 405:
			code = "method_not_allowed"
		case 413:
			code = "too_large"
		case 415:
			code = "unsupported_media"
		case 429:
			code = "too_many"
		}
		if code != "internal" {
			return fe.Code, ErrorBody{ErrorDetail{Code: code, Message: localize(messages, code, lang, map[string]string{"seconds": "60"})}}
		}
	}
	id := requestID(c)
	s.log.Error("request failed", "id", id, "method", c.Method(), "path", c.Path(), "err", err)
	return 500, ErrorBody{ErrorDetail{Code: "internal", Message: localize(messages, "internal", lang, map[string]string{"requestId": id})}}
}

func requestID(c *fiber.Ctx) string {
	if v, ok := c.Locals("requestid").(string); ok {
		return v
	}
	return strconv.FormatUint(uint64(c.Context().ID()), 10)
}
