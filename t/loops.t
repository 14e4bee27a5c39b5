# Redirect loops at request time (t/conf/loops.conf.in).
#
# A GET or HEAD whose resolved Location is its own effective URI (same
# scheme, host and port; the same path once dot segments are removed and
# percent-encodings of unreserved characters decoded; the same query; the
# fragment ignored) gets 500, and the error_log names the rule as
# FILE:LINE.  Each loop form: a literal rule under expr=, a capture, a
# relative and an absolute self-target, percent-encoding equivalents, dot
# segments, a fragment, a query that tells requests apart.  POST to the
# same URL (Post/Redirect/Get) stays a 303.
#
# And on a host with MergeSlashes Off and AllowEncodedSlashes On,
# `SeeOtherMatch ^/go/(.*)$ /$1` answers /go/%2F%2Fevil.example with 400,
# as it does /go//evil.example: a capture may not give the target an
# authority.
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

plan tests => 61;

local $Apache::TestRequest::RedirectOK = 0;
my $hp = Apache::TestRequest::hostport();
my $o  = "http://$hp";
my $vhp = do {
    local $Apache::TestRequest::Module = 'see_other_loops';
    Apache::TestRequest::hostport();
};
die "no port for the see_other_loops virtual host\n"
    if !$vhp || $vhp eq $hp;

my $conf = File::Spec->catfile(Apache::Test::vars('t_conf'), 'loops.conf');
sub rule { conf_line($conf, qr{^\s*SeeOther(?:Match)?\s+\Q$_[0]\E}) }

# A request that must loop: 500, and one error_log line naming the rule.
sub loops {
    my ($method, $uri, $rule_key, $what) = @_;
    my $rule = rule($rule_key);
    my $offset = error_log_size();
    my $res = $method eq 'HEAD' ? HEAD($uri) : GET($uri);
    ok t_cmp($res->code, 500, "$what: $method $uri answers 500");
    ok t_cmp(error_log_since($offset),
             qr/SeeOther rule \Q$rule\E: \Q$uri\E would be sent to itself \(a redirect loop\); answering 500 instead/,
             "$what: ... and the error_log names the rule $rule");
}

# A request that must not loop: 303 to $location.
sub redirects {
    my ($method, $uri, $location, $what) = @_;
    my $res = $method eq 'POST' ? POST($uri, content => 'a=1')
            : $method eq 'HEAD' ? HEAD($uri) : GET($uri);
    ok t_cmp($res->code, 303, "$what: $method $uri answers 303");
    ok t_cmp($res->header('Location') // '(none)', $location,
             "$what: ... to $location");
}

# literal, decided per request (expr=)
loops('GET',  '/loop/lit', '/loop/lit', 'literal self-target under expr=');
loops('HEAD', '/loop/lit', '/loop/lit', 'literal self-target under expr=');
redirects('POST', '/loop/lit', "$o/loop/lit",
          'literal self-target, POST (not a loop)');

# a capture
loops('GET',  '/loop/a/x',      '^/loop/a/', 'capture');
loops('HEAD', '/loop/a/x',      '^/loop/a/', 'capture');
loops('GET',  '/loop/a/b/c.html', '^/loop/a/', 'capture, deeper path');
redirects('POST', '/loop/a/x', "$o/loop/a/x", 'capture, POST (not a loop)');

# relative self-target: "x" against /loop/rel/x
loops('GET',  '/loop/rel/x', '^/loop/rel/', 'relative self-target');
loops('HEAD', '/loop/rel/x', '^/loop/rel/', 'relative self-target');

# absolute self-target: this server's own scheme, host and port
loops('GET', '/loop/abs/x', '^/loop/abs/', 'absolute self-target');
redirects('GET', '/loop/port/x', 'http://' . Apache::Test::vars('servername')
          . ':1/loop/port/x', 'absolute target, another port (not a loop)');
{
    my $res = GET '/loop/https/x';
    ok t_cmp($res->code, 303,
             'absolute target, another scheme (not a loop): 303');
}

# percent-encodings of unreserved characters
loops('GET', '/loop/pct/a',    '^/loop/pct/a$',  '%61 is a');
loops('GET', '/loop/pct/%61',  '^/loop/pct/a$',  '%61 is a (both encoded)');
loops('GET', '/loop/pct2/~',   '^/loop/pct2/~$', '%7e is ~');
loops('GET', '/loop/pct2/%7E', '^/loop/pct2/~$', '%7e is %7E');
loops('GET', '/loop/pct3/%62', '^/loop/pct3/b$', '%62 is b (request encoded)');
redirects('GET', '/loop/pct4/a', "$o/loop/pct4/%41", '%41 is A, not a');

# dot segments and the fragment
loops('GET', '/loop/dot/y',  '^/loop/dot/',  'dot segments removed');
loops('GET', '/loop/frag/y', '^/loop/frag/', 'the fragment is ignored');

# the query tells them apart
redirects('GET', '/loop/q', "$o/loop/q?x=1", 'query-dependent, no query');
loops('GET',  '/loop/q?x=1', '/loop/q', 'query-dependent, the same query');
loops('HEAD', '/loop/q?x=1', '/loop/q', 'query-dependent, the same query');

# Post/Redirect/Get to the same URL
redirects('POST', '/contact', "$o/contact",
          'SeeOther /contact /contact methods=POST');
{
    my $res = GET '/contact';
    ok t_cmp($res->code, 404, 'GET /contact: the rule does not answer GET');
}

# the server and the next request are unaffected
redirects('GET', '/loop/q', "$o/loop/q?x=1", 'a request after the loops');

# ---- %2F%2F -------------------------------------------------------------

my $go = conf_line($conf, qr{^\s*SeeOtherMatch\s+\^/go/});

sub raw_status {
    my ($target) = @_;
    my $r = eval {
        local $SIG{ALRM} = sub { die "no answer within 30 s\n" };
        alarm 30;
        my $c = SeeOther::Raw->connect($vhp, timeout => 15);
        $c->send($c->request_head(GET => $target, Connection => 'close'));
        my $res = $c->read_final('GET');
        alarm 0;
        $res;
    };
    alarm 0;
    return $r ? $r->{status} : "no answer: $@";
}

for my $target ('/go//evil.example', '/go/%2F%2Fevil.example',
                '/go/%2f%2fevil.example', '/go/%2F/evil.example',
                '/go//%2Fevil.example') {
    my $offset = error_log_size();
    ok t_cmp(raw_status($target), 400, "vhost: GET $target answers 400");
    ok t_cmp(error_log_since($offset),
             qr/SeeOtherMatch rule \Q$go\E: refusing target '\/\/[^']*evil\.example' for .*: the captured text would add a scheme or authority/,
             "... the error_log names the rule $go");
}
ok t_cmp(raw_status('/go/fine'), 303, 'vhost: GET /go/fine answers 303');
