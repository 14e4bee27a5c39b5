package SeeOther::Raw;
# A small HTTP/1.1 client on a raw socket, for the tests that must see the
# bytes on the wire: several requests on one keep-alive connection, bodies
# sent exactly as written (chunked, Expect: 100-continue), HEAD answers
# that must carry no body, header values that must not have been split.
#
# Every read and write has a deadline, so a server that hangs makes the
# test fail instead of blocking the suite.
use strict;
use warnings FATAL => 'all';

use IO::Socket::INET ();
use IO::Select ();
use Errno qw(EAGAIN EWOULDBLOCK EINTR);
use Time::HiRes qw(time);

our $TIMEOUT = 20;    # seconds for one read or write operation

sub connect {
    my ($class, $hostport, %opt) = @_;
    my $sock = IO::Socket::INET->new(PeerAddr => $hostport,
                                     Proto    => 'tcp',
                                     Timeout  => $opt{timeout} || $TIMEOUT)
        or die "connect $hostport: $@\n";
    $sock->blocking(0);
    binmode $sock;
    return bless { sock => $sock, buf => '', eof => 0,
                   timeout => $opt{timeout} || $TIMEOUT,
                   hostport => $hostport }, $class;
}

sub hostport { $_[0]{hostport} }

# Write all of $bytes, or die after the deadline.
sub send {
    my ($self, $bytes) = @_;
    my $sel = IO::Select->new($self->{sock});
    my $deadline = time + $self->{timeout};
    my $off = 0;
    while ($off < length $bytes) {
        my $left = $deadline - time;
        die "timeout writing (sent $off of " . length($bytes) . " bytes)\n"
            if $left <= 0;
        next unless $sel->can_write($left);
        my $n = syswrite $self->{sock}, $bytes, 65536, $off;
        if (!defined $n) {
            next if $! == EAGAIN || $! == EWOULDBLOCK || $! == EINTR;
            die "write: $!\n";
        }
        $off += $n;
    }
    return $off;
}

# Read more bytes into the buffer; false at EOF.  Dies after $wait seconds
# (default: the object's timeout) unless $soft, which returns 0 instead.
sub _fill {
    my ($self, $wait, $soft) = @_;
    return 0 if $self->{eof};
    my $sel = IO::Select->new($self->{sock});
    my $deadline = time + (defined $wait ? $wait : $self->{timeout});
    while (1) {
        my $left = $deadline - time;
        if ($left <= 0) {
            return 0 if $soft;
            die "timeout reading (have " . length($self->{buf}) . " bytes)\n";
        }
        next unless $sel->can_read($left);
        my $n = sysread $self->{sock}, my $chunk, 65536;
        if (!defined $n) {
            next if $! == EAGAIN || $! == EWOULDBLOCK || $! == EINTR;
            die "read: $!\n";
        }
        if ($n == 0) {
            $self->{eof} = 1;
            return 0;
        }
        $self->{buf} .= $chunk;
        return 1;
    }
}

sub _read_line {
    my ($self) = @_;
    while ($self->{buf} !~ /\n/) {
        $self->_fill or die "connection closed in the middle of a line\n";
    }
    $self->{buf} =~ s/^(.*?)\r?\n//s;
    return $1;
}

sub _read_exactly {
    my ($self, $n) = @_;
    while (length $self->{buf} < $n) {
        $self->_fill or die "connection closed after "
            . length($self->{buf}) . " of $n body bytes\n";
    }
    return substr $self->{buf}, 0, $n, '';
}

# Read one response (interim 1xx answers included: the caller sees them).
# $method is the request's method: a HEAD answer has no body whatever its
# headers say.  Returns a hash:
#   status, reason, protocol, head (the raw header block),
#   fields ([name, value] in order), body, malformed (header lines that
#   are not "name: value"), framing (length|chunked|close|none).
sub read_response {
    my ($self, $method) = @_;
    $method ||= 'GET';

    # the whole header block first, so that it can be checked as bytes
    while ($self->{buf} !~ /\r?\n\r?\n/) {
        $self->_fill or die "connection closed before a complete header"
            . " block (have: '$self->{buf}')\n";
    }
    $self->{buf} =~ s/^(.*?\r?\n)\r?\n//s;
    my $head = $1;
    my @lines = split /\r?\n/, $head;
    my $status_line = shift @lines;
    my %res = (head => $head, fields => [], malformed => [], body => '');
    if ($status_line =~ m{^(HTTP/\d\.\d) (\d{3}) ?(.*)$}) {
        @res{qw(protocol status reason)} = ($1, $2, $3);
    }
    else {
        die "not a status line: '$status_line'\n";
    }
    for my $line (@lines) {
        if ($line =~ /^([!#\$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/) {
            push @{ $res{fields} }, [$1, $2];
        }
        else {
            push @{ $res{malformed} }, $line;
        }
    }
    my $r = bless \%res, 'SeeOther::Raw::Response';

    my $te = $r->header('Transfer-Encoding');
    my $cl = $r->header('Content-Length');
    if ($method eq 'HEAD' || $res{status} =~ /^(1|204|304)/) {
        $res{framing} = 'none';
    }
    elsif (defined $te && $te =~ /\bchunked\s*$/i) {
        $res{framing} = 'chunked';
        while (1) {
            my $size_line = $self->_read_line;
            $size_line =~ /^([0-9A-Fa-f]+)/
                or die "bad chunk size line '$size_line'\n";
            my $size = hex $1;
            if ($size == 0) {
                1 while length $self->_read_line;    # trailers
                last;
            }
            $res{body} .= $self->_read_exactly($size);
            my $crlf = $self->_read_line;
            die "chunk not followed by CRLF\n" if length $crlf;
        }
    }
    elsif (defined $cl) {
        die "bad Content-Length '$cl'\n" unless $cl =~ /^\d+$/;
        $res{framing} = 'length';
        $res{body} = $self->_read_exactly($cl);
    }
    else {
        $res{framing} = 'close';
        1 while $self->_fill;
        $res{body} = $self->{buf};
        $self->{buf} = '';
    }
    return $r;
}

# Read the final answer, collecting interim (1xx) ones in $r->{interim}.
sub read_final {
    my ($self, $method) = @_;
    my @interim;
    while (1) {
        my $r = $self->read_response($method);
        if ($r->{status} =~ /^1/) {
            push @interim, $r;
            next;
        }
        $r->{interim} = \@interim;
        return $r;
    }
}

# Bytes that arrive within $wait seconds and were not part of any answer
# read so far ('' when the server sent nothing more).
sub leftover {
    my ($self, $wait) = @_;
    $self->_fill($wait, 1) if !length $self->{buf};
    my $extra = $self->{buf};
    $self->{buf} = '';
    return $extra;
}

# True when the server has closed the connection (checked within $wait).
sub closed {
    my ($self, $wait) = @_;
    $self->_fill($wait, 1) unless $self->{eof} || length $self->{buf};
    return $self->{eof};
}

sub close { $_[0]{sock}->close }

# A request head: "METHOD target HTTP/1.1", Host (unless the fields name
# one), then the fields (name, value pairs, in order), then the blank line.
sub request_head {
    my ($self, $method, $target, @fields) = @_;
    my %names;
    $names{ lc $fields[2 * $_] } = 1 for 0 .. @fields / 2 - 1;
    unshift @fields, Host => $self->{hostport} unless $names{host};
    my $head = "$method $target HTTP/1.1\r\n";
    while (my ($k, $v) = splice @fields, 0, 2) {
        $head .= "$k: $v\r\n";
    }
    return "$head\r\n";
}

package SeeOther::Raw::Response;

# The value of a header field (case-insensitive name); with several
# fields of that name, in list context all of them, in scalar context
# them joined with ", ".
sub header {
    my ($self, $name) = @_;
    my @v = map { $_->[1] } grep { lc $_->[0] eq lc $name } @{ $self->{fields} };
    return wantarray ? @v : (@v ? join(', ', @v) : undef);
}

sub count {
    my ($self, $name) = @_;
    return scalar grep { lc $_->[0] eq lc $name } @{ $self->{fields} };
}

1;
