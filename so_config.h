/* so_config.h: the directives of mod_see_other, parsed into the rule
 * model (so_model.h).
 *
 * Rules in the server configuration and its sections are parsed once, at
 * start-up, into the configuration pool.  Rules in .htaccess files, which
 * httpd parses on every request, are parsed once per process into the
 * cache (so_cache.h) and taken from there while their text is unchanged;
 * cache is NULL in the parent, where nothing is cached.
 */
#ifndef SO_CONFIG_H
#define SO_CONFIG_H

#include "httpd.h"
#include "http_config.h"

#include "so_cache.h"

/* The module whose configuration the directives fill (from
 * register_hooks, which runs before any directive is read). */
void so_config_init(const module *m);

/* SeeOther [URL-path] target [option ...] */
const char *so_config_see_other(cmd_parms *cmd, void *dconf,
                                const char *line, so_cache *cache);
/* SeeOtherMatch regex target [option ...] */
const char *so_config_see_other_match(cmd_parms *cmd, void *dconf,
                                      const char *line, so_cache *cache);
/* SeeOtherMap URL-prefix [txt:|dbm:]file [option ...] */
const char *so_config_see_other_map(cmd_parms *cmd, void *dconf,
                                    const char *line, so_cache *cache);
/* SeeOtherEngine/Absolute/Note: the int at cmd->info's offset in the
 * configuration (outside any section also the server's). */
const char *so_config_flag(cmd_parms *cmd, void *dconf, int on);

/* SeeOtherNote On|Off|All (the int at cmd->info's offset) */
const char *so_config_note(cmd_parms *cmd, void *dconf, const char *arg);
/* SeeOtherNoteTemplate FILE: read and checked now */
const char *so_config_note_template(cmd_parms *cmd, void *dconf,
                                    const char *file);
/* SeeOtherLegacyStatus 302|303 (the int at cmd->info's offset) */
const char *so_config_legacy_status(cmd_parms *cmd, void *dconf,
                                    const char *arg);

#endif /* SO_CONFIG_H */
