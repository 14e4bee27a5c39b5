# LogLevel see_other:trace2: why a rule did not fire (issue 9).  Each case
# is a request no rule answers; the error_log must name each candidate
# rule (file:line) with the reason it was passed over, then say that no
# rule matched and which path was tried.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use File::Spec ();
use SeeOther::Util qw(conf_line error_log_size error_log_since);

my @cases = (
    # [path, request headers, rule pattern, reason]
    ['/tr/m',   [],                       qr{^\s*SeeOther /tr/m },
     'methods= does not name this method'],
    ['/tr/e',   [],                       qr{^\s*SeeOther /tr/e },
     'expr= is false'],
    ['/tr/x/y', [],                       qr{^\s*SeeOther /tr/x },
     'exact, and the path goes on below its URL-path'],
    ['/tr/a',   [Accept => 'text/html'],  qr{^\s*SeeOther /tr/a },
     'accept=: no type it serves is acceptable'],
    ['/tr/re/abc', [],                    qr{^\s*SeeOtherMatch \^/tr/re/},
     'its regex does not match'],
);

plan tests => 3 * @cases + 2;

local $Apache::TestRequest::RedirectOK = 0;
local $Apache::TestRequest::Module = 'see_other_trace';
my $conf = File::Spec->catfile(Apache::Test::vars('t_conf'), 'trace.conf');

for my $c (@cases) {
    my ($path, $headers, $rule_re, $why) = @$c;
    my $where = conf_line($conf, $rule_re);
    my $from = error_log_size();
    my $res = GET $path, @$headers;
    ok t_cmp($res->code, 404, "$path: no rule answers (404)");
    # the log is written before the answer is complete; give it a moment
    my $log = '';
    for (1 .. 20) {
        $log = error_log_since($from);
        last if $log =~ /no rule matched/;
        select undef, undef, undef, 0.1;
    }
    ok t_cmp($log, qr{\Q$path\E: rule \Q$where\E skipped: \Q$why\E},
             "$path: trace2 names rule $where and why it was skipped");
    ok t_cmp($log, qr{GET \Q$path\E: no rule matched the path \Q$path\E},
             "$path: trace2 says no rule matched, with the path");
}

# trace2 is per module and per virtual host: the main server logs none
my $from = error_log_size();
{
    local $Apache::TestRequest::Module = undef;
    my $res = GET '/tr/m';
    ok t_cmp($res->code, 404, 'main server: /tr/m has no rule (404)');
}
select undef, undef, undef, 0.3;
ok t_cmp(error_log_since($from), qr{\A(?!.*no rule matched).*\z}s,
         'main server (LogLevel below trace2): nothing logged');
