# Configuration refusals of issue 8, checked with `httpd -t` on small
# standalone configurations (the approach of t/configtest.t):
#
# - literal rules that would send every GET to themselves (SeeOther /a /a,
#   with methods= that include GET, with exact) and fragment-only targets
#   that answer GET (most often a comment written after the rule);
# - javascript:, vbscript: and data: targets, in any case, as SeeOther,
#   SeeOtherMatch and map targets;
# - targets longer than 8180 bytes (a Location must fit in a header), in
#   the configuration and in a map line;
# - a map line holding a NUL byte;
# and what stays valid: Post/Redirect/Get to the same URL (methods=POST),
# a self-target under expr= (decided per request), a self-target that adds
# a query or drops it, a fragment-only target with methods=POST.  A map key
# given twice is accepted with a warning naming both lines.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil;
use SeeOther::Configtest;

my $long = 'x' x 8200;          # with "/" in front: 8201 bytes
my $fits = 'x' x 8179;          # with "/" in front: 8180 bytes, the most
# map files the cases refer to, as %DIR%/name
my %files = (
    'js.txt'      => "/ok /fine\n/bad javascript:alert(1)\n",
    'vbs.txt'     => "# comment\n/bad VBScript:x\n",
    'data.txt'    => "/a /b\n/c /d\n/bad data:text/html;base64,PHNjcmlwdD4=\n",
    'longmap.txt' => "/a /b\n/long /$long\n",
    'fitmap.txt'  => "/a /b\n/fits /$fits\n",
    'nul.txt'     => "/a /b\n/c /d\n/e /f\0g\n",
    'nulkey.txt'  => "/a\0x /b\n",
    'dup.txt'     => "/k /first\n/other /o\n/k /second\n",
);

my $ct = SeeOther::Configtest->new(
    name  => 'cfgharden-XXXXXX',
    files => \%files,
    # httpd reads at most 8191 bytes a line: a longer target is built from
    # a variable, which httpd expands after reading the line
    extra => ['Define HALF ' . ('y' x 4100)],
);
my $dir = $ct->dir;

my $loop = q{every GET would be sent to itself \(a redirect loop\)};
my $frag = q{is only a fragment: every GET would be sent to itself \(a }
         . q{redirect loop\)\.  A comment must stand on a line of its own};
my $scheme = q{is refused: javascript:, vbscript: and data: URIs are never }
           . q{sent as a redirect};

# [what, lines added to @base (the bad directive is the first one starting
#  with "SeeOther"), directive named, reason (a regex; %DIR% the temporary
#  directory)]
my @refused = (
    ['SeeOther /x #frag',
     ['SeeOther /x #frag'], 'SeeOther', qq{target '#frag' $frag}],
    ['SeeOtherMatch ^/y #f',
     ['SeeOtherMatch ^/y #f'], 'SeeOtherMatch', qq{target '#f' $frag}],
    ['a comment after a one-argument rule in a section',
     ['<Location /s>', 'SeeOther /done.html #comment', '</Location>'],
     'SeeOther', qq{target '#comment' $frag}],
    # authorities every client would read differently (found by fuzz_uri)
    ['a malformed IP literal host',
     ['SeeOther /b1 //[[x]:/p'], 'SeeOther',
     q{target '//\[\[x\]:/p' has a malformed host}],
    ['a host with a stray bracket',
     ['SeeOther /b3 http://[[evil.example]/p'], 'SeeOther',
     q{has a malformed host}],
    ['port 0',
     ['SeeOther /b2 http://h:0/p'], 'SeeOther',
     q{target 'http://h:0/p' names port 0}],
    ['an empty host followed by //',
     ['SeeOther /b4 http:////evil.example/x'], 'SeeOther',
     q{target 'http:////evil.example/x' has an empty host followed by '//'}],
    # a capture may not choose the scheme (found by fuzz_template)
    ['$1 in the scheme',
     ['SeeOtherMatch ^/go/(.*)$ $1://example.org/'], 'SeeOtherMatch',
     q{\$1 stands in the scheme}],
    ['SeeOther /a javascript:alert(1)',
     ['SeeOther /a javascript:alert(1)'], 'SeeOther',
     qq{target 'javascript:alert\\(1\\)' $scheme}],
    ['SeeOther /a JavaScript:alert(1) (case)',
     ['SeeOther /a JavaScript:alert(1)'], 'SeeOther', $scheme],
    ['SeeOther /a vbscript:x',
     ['SeeOther /a vbscript:x'], 'SeeOther', qq{target 'vbscript:x' $scheme}],
    ['SeeOther /a VBSCRIPT:x (case)',
     ['SeeOther /a VBSCRIPT:x'], 'SeeOther', $scheme],
    ['SeeOther /a data:text/html;base64,...',
     ['SeeOther /a data:text/html;base64,PHNjcmlwdD4='], 'SeeOther',
     qq{target 'data:text/html;base64,PHNjcmlwdD4=' $scheme}],
    ['SeeOther /a Data:... (case)',
     ['SeeOther /a Data:text/plain,x'], 'SeeOther', $scheme],
    ['SeeOther javascript: in a section',
     ['<Location /s>', 'SeeOther javascript:alert(1)', '</Location>'],
     'SeeOther', $scheme],
    ['SeeOtherMatch ^/a javascript:$1',
     ['SeeOtherMatch ^/a/(.*)$ javascript:$1'], 'SeeOtherMatch', $scheme],
    ['SeeOtherMatch ^/a jAvAsCrIpT:... (case)',
     ['SeeOtherMatch ^/a jAvAsCrIpT:void(0)'], 'SeeOtherMatch', $scheme],
    ['SeeOtherMatch ^/a vbscript:',
     ['SeeOtherMatch ^/a vbscript:msgbox'], 'SeeOtherMatch', $scheme],
    ['SeeOtherMatch ^/a data:',
     ['SeeOtherMatch ^/a DATA:text/html,x'], 'SeeOtherMatch', $scheme],
    ['map target javascript:',
     ['SeeOtherMap /m %DIR%/js.txt'], 'SeeOtherMap',
     qq{%DIR%/js.txt, line 2: target 'javascript:alert\\(1\\)' $scheme}],
    ['map target VBScript:',
     ['SeeOtherMap /m %DIR%/vbs.txt'], 'SeeOtherMap',
     qq{%DIR%/vbs.txt, line 2: target 'VBScript:x' $scheme}],
    ['map target data:',
     ['SeeOtherMap /m %DIR%/data.txt'], 'SeeOtherMap',
     qq{%DIR%/data.txt, line 3: target 'data:text/html;base64,PHNjcmlwdD4=' $scheme}],
    ['SeeOther target of 8201 bytes',
     ['SeeOther /a /${HALF}${HALF}'], 'SeeOther',
     q{target '/y{39}\.\.\.' is 8201 bytes long; a Location may hold at most 8180}],
    ['SeeOtherMatch target of 8201 bytes',
     ['SeeOtherMatch ^/a/(.*)$ /${HALF}${HALF}'], 'SeeOtherMatch',
     q{is 8201 bytes long; a Location may hold at most 8180}],
    ['map target of 8201 bytes',
     ['SeeOtherMap /m %DIR%/longmap.txt'], 'SeeOtherMap',
     q{%DIR%/longmap.txt, line 2: target '/x{39}\.\.\.' is 8201 bytes long; a Location may hold at most 8180}],
    ['map line with a NUL byte in the target',
     ['SeeOtherMap /m %DIR%/nul.txt'], 'SeeOtherMap',
     q{%DIR%/nul.txt.*line 3: a NUL byte}],
    ['map line with a NUL byte in the key',
     ['SeeOtherMap /m %DIR%/nulkey.txt'], 'SeeOtherMap',
     q{%DIR%/nulkey.txt.*line 1: a NUL byte}],
);

# [what, lines] that httpd -t accepts
my @accepted = (
    ['Post/Redirect/Get: SeeOther /contact /contact methods=POST',
     ['SeeOther /contact /contact methods=POST']],
    ['SeeOther /a /a expr=true (decided per request)',
     ['SeeOther /a /a expr=true']],
    ['SeeOther /a /a?x=1 (adds a query)',
     ['SeeOther /a /a?x=1']],
    ['SeeOther /a /a query=drop',
     ['SeeOther /a /a query=drop']],
    ['SeeOther /x #frag methods=POST',
     ['SeeOther /x #frag methods=POST']],
    ['SeeOtherMatch ^/y #f methods=POST',
     ['SeeOtherMatch ^/y #f methods=POST']],
    ['a comment on a line of its own in a section',
     ['<Location /s>', '# comment', 'SeeOther /done.html', '</Location>']],
    ['targets that only look like the refused schemes',
     ['SeeOther /a /javascript:x', 'SeeOther /b ./data:x',
      'SeeOther /c http://example.org/?u=javascript:x',
      'SeeOther /d datax:y']],
    ['a target of 8180 bytes (the most) in a map',
     ['SeeOtherMap /m %DIR%/fitmap.txt']],
);

plan tests => 3 * @refused + 2 * @accepted + 4;

$ct->refused(@$_) for @refused;
$ct->accepted(@$_) for @accepted;

# A key given twice: accepted, the first one is used, a warning names both
# lines (httpd -t prints start-up warnings on its standard error).
{
    my ($out, $file, $line) = $ct->accepted('map key given twice',
                                            ['SeeOtherMap /m %DIR%/dup.txt']);
    ok t_cmp($out,
             qr/\Q$dir\E\/dup\.txt, line 3: key 'k' was given on line 1 already; the first one is used/,
             '... with a warning naming both lines');
    ok t_cmp($out, qr/SeeOtherMap \(\Q$file\E:\Q$line\E\)/,
             '... and the directive that loads the map');
}
