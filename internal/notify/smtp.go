package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// SMTPConfig is how to reach the mail server. TLS is "starttls" (the
// default), "tls" (implicit, usually port 465) or "none", which is refused
// unless Host is a loopback address (a local relay). The password is never
// logged.
type SMTPConfig struct {
	Host               string
	Port               int
	Username, Password string
	From               string
	TLS                string
}

// sendTimeout bounds one whole SMTP conversation.
const sendTimeout = time.Minute

// Validate reports a configuration that cannot send.
func (c SMTPConfig) Validate() error {
	if c.Host == "" || c.Port <= 0 || c.Port > 65535 {
		return errors.New("notify: SMTP host and port are required")
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("notify: SMTP from address: %w", err)
	}
	switch c.TLS {
	case "", "starttls", "tls":
	case "none":
		if !isLoopback(c.Host) {
			return fmt.Errorf("notify: SMTP without TLS is allowed only to a loopback host, not %q", c.Host)
		}
	default:
		return fmt.Errorf("notify: SMTP TLS must be starttls, tls or none, not %q", c.TLS)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// send delivers one notification's e-mail.
func (n *Notifier) send(ctx context.Context, m model.Notification) error {
	c := n.smtp
	if err := c.Validate(); err != nil {
		return err
	}
	to, err := mail.ParseAddress(m.Email)
	if err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	from, _ := mail.ParseAddress(c.From) // checked by Validate
	link := ""
	if n.BaseURL != "" && m.Link != "" {
		link = strings.TrimSuffix(n.BaseURL, "/") + m.Link
	}
	msg, err := message(from, to, m, link, n.Now())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	tlsConf := n.tlsConfig()
	if c.TLS == "tls" {
		tc := tls.Client(conn, tlsConf)
		if err := tc.HandshakeContext(ctx); err != nil {
			return err
		}
		conn = tc
	}
	cl, err := smtp.NewClient(conn, c.Host)
	if err != nil {
		return err
	}
	defer cl.Close()
	if c.TLS == "" || c.TLS == "starttls" {
		if ok, _ := cl.Extension("STARTTLS"); !ok {
			return errors.New("the server does not offer STARTTLS")
		}
		if err := cl.StartTLS(tlsConf); err != nil {
			return err
		}
	}
	if c.Username != "" {
		// PlainAuth itself refuses to send credentials over plain text to a
		// host other than localhost.
		if err := cl.Auth(smtp.PlainAuth("", c.Username, c.Password, c.Host)); err != nil {
			return err
		}
	}
	if err := cl.Mail(from.Address); err != nil {
		return err
	}
	if err := cl.Rcpt(to.Address); err != nil {
		return err
	}
	w, err := cl.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return cl.Quit()
}

func (n *Notifier) tlsConfig() *tls.Config {
	if n.TLSConfig != nil {
		c := n.TLSConfig.Clone()
		if c.ServerName == "" {
			c.ServerName = n.smtp.Host
		}
		return c
	}
	return &tls.Config{ServerName: n.smtp.Host, MinVersion: tls.VersionTLS12}
}

// message builds a plain-text UTF-8 e-mail. Header values are encoded (no
// line breaks get through), the body quoted-printable.
func message(from, to *mail.Address, m model.Notification, link string, at time.Time) ([]byte, error) {
	var b bytes.Buffer
	oneLine := strings.NewReplacer("\r", " ", "\n", " ")
	fmt.Fprintf(&b, "From: %s\r\n", from.String())
	fmt.Fprintf(&b, "To: %s\r\n", to.String())
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", oneLine.Replace(m.Subject)))
	fmt.Fprintf(&b, "Date: %s\r\n", at.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <herald-notification-%d@%s>\r\n", m.ID, domainOf(from.Address))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := m.Body
	if link != "" {
		body += "\n" + link + "\n"
	}
	if _, err := qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "herald"
}
