# The answer: status, Location, the note and its length, HEAD, logging.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use Apache::TestConfig ();
use HTML::Entities ();
use FindBin;
use lib "$FindBin::Bin/lib";
use SeeOther::Util qw(slurp conf_line);

plan tests => 21;

local $Apache::TestRequest::RedirectOK = 0;
my $o = 'http://' . Apache::TestRequest::hostport();
my $vars = Apache::Test::config()->{vars};

my $res = GET '/basic/old';
ok t_cmp($res->code, 303, 'server-level SeeOther answers 303');
ok t_cmp($res->message, 'See Other', 'reason phrase');
ok t_cmp($res->header('Location'), "$o/basic/new",
         'Location is absolute by default');
ok t_cmp($res->header('Content-Type'), 'text/html; charset=utf-8',
         'note is HTML');
ok t_cmp(note_href($res->content), "$o/basic/new", 'note links to Location');
ok t_cmp($res->header('Content-Length'), length($res->content),
         'Content-Length is right');

ok t_cmp(GET_RC('/basic/oldish'), 404, '/basic/old does not match /basic/oldish');
ok t_cmp(GET('/basic/old/deeper/x')->header('Location'),
         "$o/basic/new/deeper/x", 'the path remainder is appended');
ok t_cmp(GET('/basic/old/')->header('Location'), "$o/basic/new/",
         'a trailing slash is kept');

# the href, HTML-unescaped, is exactly the Location
$res = GET '/basic/amp';
ok t_cmp($res->header('Location'), "$o/basic/t?a=1&b='2'", 'Location with & and quote');
ok t_cmp(note_href($res->content), $res->header('Location'),
         'href unescapes to the Location');
ok t_cmp($res->content, qr/&amp;/, 'the & is escaped in the note');

# HEAD: same status and headers, Content-Length of the GET answer, no body
my $get = GET '/basic/get';
my $head = HEAD '/basic/get';
ok t_cmp($head->code, 303, 'HEAD is covered by methods=GET');
ok t_cmp($head->header('Location'), $get->header('Location'), 'HEAD Location');
ok t_cmp($head->header('Content-Length'), $get->header('Content-Length'),
         'HEAD Content-Length equals the GET one');
ok t_cmp($head->content, '', 'HEAD has no body');
ok t_cmp(POST_RC('/basic/get', content => 'x'), 404, 'POST is not GET');

# the rule that fired, for mod_log_config and in the trace log
ok t_cmp(GET_RC('/basic/form/submit'), 404,
         'GET of a methods=POST path: no rule answers (404)');
POST '/basic/form/submit', content => 'a=1';
my $conf = "$vars->{t_conf}/basic.conf";
my $rule = conf_line($conf, qr{^SeeOther /basic/form/submit });
my $log = slurp("$vars->{t_logs}/see_other.log");
ok t_cmp($log, qr{"POST /basic/form/submit HTTP/1.1" 303 rule=\Q$rule\E\n},
         'request note see-other-rule is FILE:LINE');
ok t_cmp($log, qr{"GET /basic/form/submit HTTP/1.1" 404 rule=-\n},
         'no rule answered the GET: no see-other-rule note');
my $errlog = slurp("$vars->{t_logs}/error_log");
ok t_cmp($errlog, qr{\[see_other:trace1\].*POST /basic/form/submit matched path by rule \Q$rule\E: See Other \Q$o\E/basic/form/done},
         'trace1 logs the decision');

sub note_href {
    my ($href) = $_[0] =~ /<a href="([^"]*)"/ or return '';
    return HTML::Entities::decode_entities($href);
}
