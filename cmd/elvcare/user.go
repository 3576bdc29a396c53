package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"elvcare/domain"
	"elvcare/server"
	"elvcare/sync"
)

const userUsage = `Usage:
  elvcare user add --data DIR --login L --name N --role R [--role R…] [--specialist] [--skill S…]   (password on stdin)
  elvcare user list --data DIR
  elvcare user disable|enable --data DIR --login L
  elvcare user set-role --data DIR --login L --role R [--role R…]
  elvcare user reset-password --data DIR --login L   (new password on stdin)
Roles: desk manager technician finance admin. Skills: network telephone pa cctv alarm onecard.
`

func cmdUser(args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, userUsage)
		return errors.New("user: which subcommand?")
	}
	sub, args := args[0], args[1:]
	var data, login, name string
	var roles, skills multiFlag
	var specialist bool
	fs := newFlags("user "+sub, "user "+sub+" [flags]")
	fs.StringVar(&data, "data", "./data", "data directory")
	fs.StringVar(&login, "login", "", "login name")
	fs.StringVar(&name, "name", "", "display name")
	fs.Var(&roles, "role", "role (repeatable)")
	fs.Var(&skills, "skill", "skill system (repeatable)")
	fs.BoolVar(&specialist, "specialist", false, "an after-sales specialist (售后服务专员)")
	if err := parse(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	t, err := openTarget(data)
	if err != nil {
		return err
	}
	defer t.Close()
	switch sub {
	case "list":
		return userList(t, os.Stdout)
	case "add":
		pw, err := readPassword(os.Stdin)
		if err != nil {
			return err
		}
		hash, err := passwordHash(pw)
		if err != nil {
			return err
		}
		rs := make([]domain.Role, 0, len(roles))
		for _, r := range roles {
			rs = append(rs, domain.Role(r))
		}
		out, err := t.apply("user.create", sync.CreateUserArgs{Login: login, Name: name, Roles: rs, Specialist: specialist, Skills: skills, PasswordHash: hash})
		if err != nil {
			return describe(err)
		}
		var u domain.User
		_ = json.Unmarshal(out, &u)
		fmt.Printf("created user %s (%s) %s\n", u.Login, u.Name, u.ID)
		return nil
	case "disable", "enable", "set-role", "reset-password":
		u, err := t.userByLogin(login)
		if err != nil {
			return err
		}
		switch sub {
		case "disable", "enable":
			d := sub == "disable"
			_, err = t.apply("user.update", sync.UpdateUserArgs{ID: u.ID, Disabled: &d})
		case "set-role":
			rs := make([]domain.Role, 0, len(roles))
			for _, r := range roles {
				rs = append(rs, domain.Role(r))
			}
			_, err = t.apply("user.update", sync.UpdateUserArgs{ID: u.ID, Roles: &rs})
		case "reset-password":
			pw, perr := readPassword(os.Stdin)
			if perr != nil {
				return perr
			}
			hash, herr := passwordHash(pw)
			if herr != nil {
				return herr
			}
			_, err = t.apply("user.setPassword", sync.SetPasswordArgs{ID: u.ID, PasswordHash: hash})
		}
		if err != nil {
			return describe(err)
		}
		fmt.Printf("%s: done for %s\n", sub, u.Login)
		return nil
	}
	fmt.Fprint(os.Stderr, userUsage)
	return fmt.Errorf("user: unknown subcommand %q", sub)
}

func (t *target) userByLogin(login string) (domain.User, error) {
	if login == "" {
		return domain.User{}, errors.New("--login is required")
	}
	if t.eng != nil {
		u, err := t.eng.Users().ByLogin(t.ctx(), login)
		if err != nil {
			return u, fmt.Errorf("no user with login %q", login)
		}
		return u, nil
	}
	var u domain.User
	out, err := t.call("GET", "/ctl/user/"+login, nil)
	if err != nil {
		return u, fmt.Errorf("no user with login %q: %w", login, err)
	}
	return u, json.Unmarshal(out, &u)
}

func userList(t *target, w io.Writer) error {
	var us []domain.User
	if t.eng != nil {
		var err error
		if us, err = t.eng.Users().List(t.ctx()); err != nil {
			return err
		}
	} else {
		out, err := t.call("GET", "/ctl/users", nil)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(out, &us); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGIN\tNAME\tROLES\tSPECIALIST\tSKILLS\tSTATUS")
	for _, u := range us {
		rs := make([]string, len(u.Roles))
		for i, r := range u.Roles {
			rs[i] = string(r)
		}
		status := "enabled"
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\t%s\n", u.Login, u.Name, strings.Join(rs, ","), u.Specialist, strings.Join(u.Skills, ","), status)
	}
	return tw.Flush()
}

// readPassword reads one line from stdin: the password is never a flag, so
// it stays out of shell history and the process list.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("give the password on standard input, e.g. echo 'secret…' | elvcare user add …")
	}
	return pw, nil
}

func passwordHash(pw string) (string, error) {
	p := domain.Problems{}
	domain.ValidatePassword(p, "password", pw)
	if p["password"] != "" {
		return "", fmt.Errorf("password: %s", p["password"])
	}
	return server.HashPassword(pw)
}

// describe turns a domain error into a readable line for the terminal.
func describe(err error) error {
	var de *domain.Error
	if errors.As(err, &de) {
		msg := de.Code
		for k, v := range de.Params {
			msg += fmt.Sprintf(" %s=%s", k, v)
		}
		for f, code := range de.Fields {
			msg += fmt.Sprintf("; %s: %s", f, code)
		}
		return errors.New(msg)
	}
	return err
}
