# Hostile request paths (t/conf/hostile.conf.in).
#
# Encoded CR/LF, controls, spaces, '#', '?', backslash, non-ASCII and '%'
# in what the rules capture or append; captures that try to become a
# scheme or an authority; raw bytes in the request line that end up in a
# resolved Location.  Every answer is read from a raw socket
# (t/lib/SeeOther/Raw.pm) so that a header split by a raw CR or LF shows.
#
# The rules' line numbers (named by the module's warnings) are looked up in
# the generated t/conf/hostile.conf, not written here.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use File::Spec ();

use SeeOther::Raw;
use SeeOther::Util qw(conf_line error_log_size error_log_since);

plan tests => 126;

local $Apache::TestRequest::RedirectOK = 0;
my $hp = Apache::TestRequest::hostport();
# a virtual host with AllowEncodedSlashes On and MergeSlashes Off, so that
# "%2F" and "//" reach the module (it inherits the main server's rules)
my $vhp = do {
    local $Apache::TestRequest::Module = 'see_other_hostile';
    Apache::TestRequest::hostport();
};
die "no port for the see_other_hostile virtual host\n"
    if !$vhp || $vhp eq $hp;

my $conf = File::Spec->catfile(Apache::Test::vars('t_conf'), 'hostile.conf');

my $rule_any     = conf_line($conf, qr{^\s*SeeOtherMatch\s+\^/hostile/any/});
my $rule_rel_any = conf_line($conf, qr{^\s*SeeOtherMatch\s+\^/hostile/rel/any/});

my $log_start = error_log_size();

sub pct_decode {
    my ($s) = @_;
    $s =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
    return $s;
}

# Bytes as \xNN, for test names.
sub show {
    my ($s) = @_;
    $s =~ s/([^\x21-\x7e])/sprintf '\\x%02X', ord $1/ge;
    return $s;
}

# GET $target (sent byte for byte) on $hostport; an answer that cannot be
# read or parsed gives a stand-in that fails every check.
sub fetch {
    my ($hostport, $target) = @_;
    my $r = eval {
        local $SIG{ALRM} = sub { die "no answer within 30 s\n" };
        alarm 30;
        my $c = SeeOther::Raw->connect($hostport, timeout => 15);
        $c->send($c->request_head(GET => $target, Connection => 'close'));
        my $res = $c->read_final('GET');
        alarm 0;
        $res;
    };
    alarm 0;
    return $r if $r;
    t_debug('GET ' . show($target) . ": $@");
    return bless { status => "no answer: $@", fields => [],
                   malformed => ['(no answer)'], body => '' },
                 'SeeOther::Raw::Response';
}

my $uri_chars = qr{^(?:[A-Za-z0-9\-._~:/?#\[\]\@!\$&'()*+,;=]|%[0-9A-Fa-f]{2})*$};

# 3 tests: no header line was split or added, and Location (when there is
# one) is made only of URI characters and sent once.
sub safe_ok {
    my ($r, $what) = @_;
    my @bad = (@{ $r->{malformed} },
               map { "$_->[0]: $_->[1]" }
               grep { $_->[0] =~ /injected/i } @{ $r->{fields} });
    ok t_cmp(join(' | ', map { show($_) } @bad), '',
             "$what: no header line split off or injected");
    my $loc = $r->header('Location');
    ok t_cmp(show(defined $loc ? $loc : ''), $uri_chars,
             "$what: Location holds only URI characters (no raw CR, LF, "
             . "space, control, backslash, non-ASCII)");
    ok t_cmp($r->count('Location') <= 1 ? 1 : 0, 1,
             "$what: at most one Location");
}

# 1 test: a 303 does not lead off this server: an absolute Location names
# $ours as its authority, a relative one is an absolute path ("/x", never
# "//x" or "/\x", which browsers take for a host); any other answer must
# be a client error.
sub not_evil_ok {
    my ($r, $ours, $what) = @_;
    if ($r->{status} ne '303') {
        ok t_cmp($r->{status}, qr/^4\d\d$/, "$what: refused ($r->{status})");
        return;
    }
    my $loc = $r->header('Location');
    $loc = '' unless defined $loc;
    if ($loc =~ m{^[A-Za-z][A-Za-z0-9+.-]*:}) {
        my ($auth) = $loc =~ m{^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)};
        ok t_cmp(show(defined $auth ? $auth : "(none in $loc)"), $ours,
                 "$what: 303 to this server, not elsewhere");
    }
    else {
        ok t_cmp(show($loc), qr{^/(?![/\\])},
                 "$what: 303 to an absolute path on this server");
    }
}

# 3 tests: a capture that would add a scheme or authority gives 400, no
# Location, and a warning in the error_log naming the rule's file:line.
sub refused_ok {
    my ($hostport, $target, $rule, $what) = @_;
    my $offset = error_log_size();
    my $r = fetch($hostport, $target);
    ok t_cmp($r->{status}, 400, "$what: 400");
    ok t_cmp($r->header('Location'), undef, "$what: no Location");
    my @warnings = grep { /\[see_other:warn\]/ } split /\n/, error_log_since($offset);
    ok t_cmp(join("\n", @warnings) || '(no see_other warning)',
             qr{SeeOtherMatch rule \Q$rule\E: refusing},
             "$what: error_log warns, naming the rule $rule");
    return $r;
}

# 5 tests: a 303 whose Location is $prefix followed by the percent-encoded
# form of $decoded (the capture or path remainder, as httpd decoded it).
sub encoded_ok {
    my ($target, $prefix, $decoded, $what) = @_;
    my $r = fetch($hp, $target);
    ok t_cmp($r->{status}, 303, "$what: 303");
    safe_ok($r, $what);
    my $loc = $r->header('Location');
    my $tail = defined $loc && index($loc, $prefix) == 0
             ? pct_decode(substr $loc, length $prefix)
             : '(Location ' . show(defined $loc ? $loc : 'none')
               . " does not start with $prefix)";
    ok t_cmp(show($tail), show($decoded),
             "$what: Location is the target plus the encoded text, which "
             . "decodes to what was captured");
    return $r;
}

# ---- captures and remainders are percent-encoded ------------------------

my $to   = "http://$hp/hostile/to/";
my $dest = "http://$hp/hostile/dest/";

encoded_ok('/hostile/re/a%0d%0aX-Injected:%20yes', $to,
           "a\r\nX-Injected: yes", 'capture with encoded CR LF');
encoded_ok('/hostile/re/a%20b%09c%7f%01d%1bz', $to,
           "a b\tc\x7f\x01d\x1bz", 'capture with space and controls');
my $r = encoded_ok('/hostile/re/a%23b%3Fc%5Cd', $to, 'a#b?c\\d',
                   "capture with '#', '?', backslash");
ok t_cmp($r->header('Location') || '', qr{^[^?#]*$},
         "... the capture added no query and no fragment");
encoded_ok('/hostile/re/%C3%A9t%C3%A9%25%2541', $to, "\xC3\xA9t\xC3\xA9%%41",
           "capture with non-ASCII and '%25'");
encoded_ok('/hostile/pre/a%0d%0aX-Injected:%20yes%20%5C%23%3F%C3%A9%25',
           $dest, "a\r\nX-Injected: yes \\#?\xC3\xA9%",
           'path remainder of a SeeOther prefix');

# %00 never reaches a module (httpd refuses it); whatever answers, it is
# not a redirect.
$r = fetch($hp, '/hostile/re/a%00b');
ok t_cmp($r->{status} ne '303' ? 1 : 0, 1, "encoded NUL: no 303 ($r->{status})");

# The same request through Apache::TestRequest (LWP): it sends the percent
# signs as written, so the answer is the same as on the raw socket.
{
    my $raw = fetch($hp, '/hostile/re/a%0d%0aX-Injected:%20yes');
    my $res = GET '/hostile/re/a%0d%0aX-Injected:%20yes';
    ok t_cmp($res->code, 303, 'via Apache::TestRequest: 303');
    ok t_cmp($res->header('Location'), $raw->header('Location'),
             '... the same Location as over the raw socket');
}

# ---- captures that would add a scheme or an authority --------------------

# The main server merges "//", so the capture is "http:/evil.example":
# still a scheme.
refused_ok($hp, '/hostile/any/http://evil.example', $rule_any,
           'capture that is an http: URI');
refused_ok($hp, '/hostile/any/javascript:alert(1)', $rule_any,
           'capture that is a javascript: URI');
refused_ok($hp, '/hostile/any/Mailto:x@evil.example', $rule_any,
           'capture that is a mailto: URI');

# On the main server httpd answers 404 to "%2F" before the module runs.
not_evil_ok(fetch($hp, '/hostile/any/http:%2F%2Fevil.example'), $hp,
            'http:%2F%2Fevil.example on the main server');
not_evil_ok(fetch($hp, '/hostile/re/..%2F..%2F%2Fevil'), $hp,
            '..%2F..%2F%2Fevil on the main server');

# In the virtual host "%2F" is decoded and "//" kept.
refused_ok($vhp, '/hostile/any/http:%2F%2Fevil.example', $rule_any,
           'vhost: http:%2F%2Fevil.example');
refused_ok($vhp, '/hostile/any/%2F%2Fevil.example', $rule_any,
           'vhost: %2F%2Fevil.example');
refused_ok($vhp, '/hostile/any///evil.example', $rule_any,
           'vhost: //evil.example');
refused_ok($vhp, '/hostile/any/HTTPS:%2F%2Fevil.example%2F', $rule_any,
           'vhost: HTTPS:%2F%2Fevil.example%2F');
refused_ok($vhp, '/hostile/rel/any///evil.example', $rule_rel_any,
           'vhost, SeeOtherAbsolute off: //evil.example');
not_evil_ok(fetch($vhp, '/hostile/re/..%2F..%2F%2Fevil'), $vhp,
            'vhost: ..%2F..%2F%2Fevil');
not_evil_ok(fetch($vhp, '/hostile/re/%2E%2E%2F%2E%2E%2F%2Fevil'), $vhp,
            'vhost: %2E%2E%2F%2E%2E%2F%2Fevil');

$r = fetch($vhp, '/hostile/any/%5C%5Cevil.example');
# $1 is resolved as a relative path next to the request: the Location
# names the request itself, a loop, refused (issue 8)
ok t_cmp($r->{status}, 500, 'vhost: capture \\\\evil.example: 500 (a relative path naming the request itself)');
ok t_cmp($r->header('Location'), undef,
         'vhost: capture \\\\evil.example: no Location at all');
$r = fetch($vhp, '/hostile/re//evil.example');
ok t_cmp($r->{status}, 303, 'vhost: /hostile/re//evil.example: 303');
not_evil_ok($r, $vhp, 'vhost: /hostile/re//evil.example');

# SeeOtherAbsolute off: a Location on this server is sent as "/path"; it
# must never come out as "//host" or "/\host".
$r = fetch($vhp, '/hostile/rel/any//evil.example');
ok t_cmp($r->{status}, 303, 'vhost, relative: capture /evil.example: 303');
not_evil_ok($r, $vhp, 'vhost, relative: capture /evil.example');
not_evil_ok(fetch($vhp, '/hostile/rel/dot//evil.example'), $vhp,
            'vhost, relative: /./$1 with $1 = /evil.example');
not_evil_ok(fetch($vhp, '/hostile/rel/dot/%2Fevil.example'), $vhp,
            'vhost, relative: /./$1 with $1 = %2Fevil.example');
$r = fetch($vhp, '/hostile/rel/pre/%2F%2Fevil.example');
ok t_cmp($r->{status}, 303, 'vhost, relative: prefix rest //evil.example: 303');
not_evil_ok($r, $vhp, 'vhost, relative: prefix rest //evil.example');
$r = fetch($vhp, '/hostile/rel/pre/%5C%5Cevil.example');
ok t_cmp($r->{status}, 303, 'vhost, relative: prefix rest \\\\evil.example: 303');
not_evil_ok($r, $vhp, 'vhost, relative: prefix rest \\\\evil.example');
safe_ok($r, 'vhost, relative: prefix rest \\\\evil.example');

# ---- captures in the authority -------------------------------------------

# https://$1.example.org/: only host text may come from $1, so no userinfo,
# no port and no path can be slipped in, and the host stays *.example.org.
for my $cap ('a@evil.com', 'a:1@evil.com', 'evil.com:443', 'evil.com%23',
             'evil.com%3F', 'evil.com%5C') {
    my $what = "host capture '$cap'";
    $r = fetch($hp, "/hostile/host/$cap/");
    ok t_cmp($r->{status}, 303, "$what: 303");
    safe_ok($r, $what);
    my $loc = $r->header('Location');
    my ($auth) = defined $loc ? $loc =~ m{^https://([^/?#]*)/$} : ();
    ok t_cmp(defined $auth ? $auth : '(no https://AUTHORITY/ Location)',
             qr{^[A-Za-z0-9\-._~%]+\.example\.org$},
             "$what: the authority is one host under example.org, with no "
             . "userinfo or port");
}
for my $where ([$hp, 'main server'], [$vhp, 'vhost']) {
    my ($hostport, $name) = @$where;
    $r = fetch($hostport, '/hostile/host/evil.com%2Fx/');
    my $loc = $r->header('Location');
    my ($host) = defined $loc ? $loc =~ m{^https?://([^/?#:]*)} : ();
    ok t_cmp(($r->{status} ne '303' || (defined $host && $host ne 'evil.com'))
             ? 1 : 0, 1,
             "$name: host capture 'evil.com%2Fx' does not send to evil.com ("
             . show(defined $loc ? $loc : $r->{status}) . ')');
}

# ---- raw bytes of the request line in a resolved Location ----------------

# httpd takes these bytes in a request-target (they are obs-text or VCHAR).
# Targets such as "?moved=1" and "#top" keep the request's own path, and
# the query may be inherited: what reaches the Location must be encoded.
# (A regression test: the path was once copied raw.)
for my $target ("/hostile/self/x\\y\"<>\xC3\xA9{|}^`z",
                "/hostile/frag/\\\xC3\xA9") {
    my $what = 'raw bytes in the path, target keeps the path ('
               . show($target) . ')';
    $r = fetch($hp, $target);
    ok t_cmp($r->{status}, 303, "$what: 303");
    safe_ok($r, $what);
}
{
    my $query = "q=\xC3\xA9\\\"<>{|}^`%41";
    my $what = 'raw bytes in an inherited query';
    $r = fetch($hp, "/hostile/pre/x?$query");
    ok t_cmp($r->{status}, 303, "$what: 303");
    safe_ok($r, $what);
    my $loc = $r->header('Location') || '';
    my ($q) = $loc =~ /\?(.*)$/;
    ok t_cmp(show(defined $q ? pct_decode($q) : '(no query)'),
             show(pct_decode($query)),
             "$what: the query decodes to what was sent");
}

# A request-target that begins with "//" is still an absolute path (origin
# form): httpd matches it as /hostile/self/x, and a target that keeps the
# request's path must keep all of it.
# (A regression test: "hostile" was once taken for an authority.)
$r = fetch($hp, '//hostile/self/x');
ok t_cmp($r->header('Location') || "(status $r->{status}, no Location)",
         qr{^http://\Q$hp\E/+hostile/self/x\?moved=1$},
         'request-target //hostile/self/x: the Location keeps the whole path');

# ---- the error log cannot be forged, the server survives -----------------

{
    my $offset = error_log_size();
    refused_ok($vhp, '/hostile/any/http:%2F%2Fevil.example%0d%0aFAKE-LOG-LINE:%20x',
               $rule_any, 'refused capture with encoded CR LF');
    ok t_cmp(scalar(() = error_log_since($offset) =~ /^FAKE-LOG-LINE/mg), 0,
             '... the CR LF did not start a line of its own in the error_log');
}

$r = fetch($hp, '/hostile/pre/still/here');
ok t_cmp($r->{status}, 303, 'after all this a plain request still gets 303');
ok t_cmp($r->header('Location'), "${dest}still/here", '... with its Location');
$r = fetch($vhp, '/hostile/pre/still/here');
ok t_cmp($r->{status}, 303, '... also on the virtual host');
ok t_cmp(error_log_since($log_start) =~ /Segmentation fault|exit signal|AH00052/
         ? 'a child crashed' : 'no crash', 'no crash',
         'no child died during these requests (error_log)');
