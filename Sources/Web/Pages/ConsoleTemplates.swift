/// The console's Run, Job, Calendar, Spool, Alerts and Audit pages, in `ConsoleLayout`'s frame.
/// Server-rendered and readable without script; the job page's live log is the console script's
/// (`/static/console.js`). Values go through Mustache's escaping, except the run page's job rows,
/// which are escaped with `ConsoleLayout.escape` as they are written.
enum ConsoleTemplates {
    /// Beside `PageTemplates.style` and `ConsoleLayout.style`: pills for the states of batches, prints
    /// and attempts (runs and jobs use `ConsoleLayout.colours`), compact tables for long runs, forms.
    static let style = """
        .st{display:inline-block;font-size:.8rem;padding:0 .5rem;border-radius:999px;border:1px solid #9aa5b1;background:#f0f2f4;color:#3e4c59;white-space:nowrap}
        .st.running{background:#e6f0fb;border-color:#6a9fd4;color:#154a7d}.st.normal,.st.skipped,.st.completed,.st.collected,.st.printed{background:#ecf8f0;border-color:#7cc196;color:#1e6b3a}
        .st.warning,.st.pending,.st.published,.st.printing{background:#fff8e6;border-color:#e0b252;color:#7a5200}
        .st.abnormal,.st.lost,.st.aborted,.st.failed,.st.stopped,.st.canceled{background:#fdeeee;border-color:#e39b9b;color:#8a1c1c}
        .st.held{background:#f3ecfb;border-color:#a58bd0;color:#4b2c7f}.st.retry-wait{background:#fff3e6;border-color:#e8a25c;color:#7a3f00}
        table.jobs td,table.jobs th{padding:.3rem .55rem;font-size:.9rem}table.jobs td.msg{max-width:26rem;overflow-wrap:anywhere;color:#3e4c59}
        .counts a{display:block;color:inherit;text-decoration:none}nav.pages{display:flex;gap:1rem;align-items:center;margin:.5rem 0}.counts li.current{outline:2px solid #24445c}
        .actions{display:flex;flex-wrap:wrap;gap:.8rem;margin:.5rem 0 1rem}
        .actions form{background:#fff;border:1px solid #d9dee3;border-radius:6px;padding:.6rem .8rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
        .actions input[type=text],.actions select,.filters input,.filters select,form.wide input,form.wide select{font:inherit;padding:.3rem .45rem;border:1px solid #9aa5b1;border-radius:4px}
        .actions input[name=reason]{width:16rem}
        .actions button,.filters button,form.wide button{font:inherit;border:0;border-radius:5px;padding:.35rem .9rem;cursor:pointer;background:#24445c;color:#fff}
        .actions button.danger{background:#a12b2b}.actions button.go{background:#1e6b3a}
        .filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;background:#fff;border:1px solid #d9dee3;border-radius:6px;padding:.6rem .8rem;margin:0 0 1rem}
        .filters label,form.wide label{display:flex;flex-direction:column;font-size:.8rem;color:#52606d}
        pre.log{background:#111827;color:#e5e7eb;padding:.8rem 1rem;border-radius:6px;max-height:32rem;overflow:auto;font-size:.82rem;line-height:1.45;white-space:pre-wrap;overflow-wrap:anywhere}
        .months{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem}
        table.month{table-layout:fixed}table.month caption{font-weight:bold;text-align:left;padding:.3rem 0}
        table.month td,table.month th{text-align:center;padding:.25rem;font-size:.9rem}
        table.month td.closed{background:#fdeeee;color:#8a1c1c}table.month td.opened{background:#ecf8f0;color:#1e6b3a;font-weight:bold}
        table.month td.sun,table.month th.sun{color:#b42318}table.month td.sat,table.month th.sat{color:#1d5d90}table.month td.closed.sat{color:#1d5d90}
        table.month td.today{outline:2px solid #24445c}
        .why{display:block;font-size:.66rem;line-height:1.15;overflow-wrap:anywhere}
        .warn{background:#fff8e6;border:1px solid #e0b252;color:#5c3d00;padding:.6rem 1rem;border-radius:6px;margin:0 0 1rem}
        .cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem}@media (max-width:60rem){.cols{grid-template-columns:1fr}}
        """

    static let templates: [String: String] = [
        "console-notice": """
            {{#notice}}<p class="ok" role="status">{{notice}}</p>{{/notice}}
            """,
        "reason-field": """
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="text" name="reason" maxlength="1000" placeholder="{{l.reasonHint}}" aria-label="{{l.reason}}" required>
            """,
        "console-message": """
            {{> console-head}}
            <h1>{{heading}}</h1><div class="alert" role="alert"><p>{{message}}</p></div>
            <p><a class="button" href="{{back}}">{{l.back}}</a></p>{{> console-foot}}
            """,
        "console-run": """
            {{> console-head}}
            <p class="crumbs"><a href="/nets{{query}}">{{l.navNets}}</a> › <a href="/nets/{{netPath}}{{query}}">{{net}}</a> › {{l.run}} {{id}}</p>
            <h1>{{net}} <small>{{l.run}} {{id}} · {{businessDate}}</small></h1>
            {{> console-notice}}
            {{#netHeld}}<p class="warn">{{l.netHeld}}: {{netHeldBy}}{{#netHeldReason}} — {{netHeldReason}}{{/netHeldReason}}</p>{{/netHeld}}
            {{#canOperate}}<h2>{{l.actions}}</h2><div class="actions">
            {{#active}}<form method="post" action="/runs/{{id}}/kill{{query}}">{{> reason-field}}<button type="submit" class="danger" id="kill-run">{{l.killRun}}</button></form>{{/active}}
            {{^active}}<form method="post" action="/runs/{{id}}/rerun{{query}}" class="wide">{{> reason-field}}
            <select name="scope" aria-label="{{l.rerunScope}}"><option value="failed">{{l.scopeFailed}}</option><option value="from">{{l.scopeFrom}}</option><option value="only">{{l.scopeOnly}}</option></select>
            <input type="text" name="job" placeholder="{{l.jobName}}" aria-label="{{l.jobName}}"><button type="submit" class="go" id="rerun">{{l.rerun}}</button></form>{{/active}}
            </div>{{/canOperate}}
            {{^canOperate}}<p class="note">{{l.viewerNote}}</p>{{/canOperate}}
            <div id="live" data-events="/events/tonight" data-token="{{token}}">
            <dl class="facts"><div><dt>{{l.state}}</dt><dd><span class="state" style="--c:{{colour}}">{{stateLabel}}</span></dd></div>
            <div><dt>{{l.businessDate}}</dt><dd>{{businessDate}}</dd></div><div><dt>{{l.trigger}}</dt><dd>{{trigger}}</dd></div>
            <div><dt>{{l.created}}</dt><dd>{{created}}</dd></div><div><dt>{{l.started}}</dt><dd>{{started}}</dd></div>
            <div><dt>{{l.ended}}</dt><dd>{{ended}}</dd></div><div><dt>{{l.duration}}</dt><dd>{{duration}}</dd></div></dl>
            {{#message}}<p class="note">{{l.message}}: {{message}}</p>{{/message}}
            <ul class="counts" aria-label="{{l.counts}}"><li style="--c:#24445c"{{^filtered}} class="current"{{/filtered}}><a href="?{{langParam}}"><b>{{jobCount}}</b><span>{{l.allJobs}}</span></a></li>
            {{#counts}}<li style="--c:{{colour}}" data-state="{{state}}"{{#current}} class="current"{{/current}}><a href="?state={{state}}{{langAmp}}"><b>{{count}}</b><span>{{label}}</span></a></li>{{/counts}}</ul>
            <h2 id="jobs">{{l.jobs}} <small>{{#shownFrom}}{{shownFrom}}–{{shownTo}} / {{/shownFrom}}{{matching}}{{#filtered}} ({{l.allJobs}} {{jobCount}}){{/filtered}}</small></h2>
            {{#attentionFirst}}<p class="note">{{l.firstShown}}</p>{{/attentionFirst}}
            {{> run-pages}}
            <table class="jobs"><thead><tr><th>{{l.job}}</th><th>{{l.state}}</th><th class="n">{{l.attempt}}</th><th class="n">{{l.exitCode}}</th>
            <th>{{l.start}}</th><th class="n">{{l.duration}}</th><th>{{l.message}}</th><th>{{l.logs}}</th></tr></thead><tbody>
            {{{jobRows}}}</tbody></table>
            {{> run-pages}}
            </div>
            {{> console-foot}}
            """,
        "run-pages": """
            {{#pages}}<nav class="pages" aria-label="{{l.pageOf}}">{{#prev}}<a href="{{prev}}#jobs" rel="prev">« {{l.prevPage}}</a>{{/prev}}
            <span>{{l.pageOf}} {{number}} / {{of}}</span>{{#next}}<a href="{{next}}#jobs" rel="next">{{l.nextPage}} »</a>{{/next}}</nav>{{/pages}}
            """,
        "console-job": """
            {{> console-head}}
            <p class="crumbs"><a href="/nets{{query}}">{{l.navNets}}</a> › <a href="/nets/{{netPath}}{{query}}">{{net}}</a> › <a href="/runs/{{run}}{{query}}">{{l.run}} {{run}}</a> › {{job}}</p>
            <h1>{{job}} <small>{{net}} · {{l.run}} {{run}} · {{businessDate}}</small> <span class="state" style="--c:{{colour}}" id="job-state">{{stateLabel}}</span>
            {{#held}}<span class="state" style="--c:{{heldColour}}" id="job-held">{{l.held}}</span>{{/held}}</h1>
            {{> console-notice}}
            <dl class="facts"><div><dt>{{l.attempts}}</dt><dd>{{attempts}}</dd></div><div><dt>{{l.exitCode}}</dt><dd>{{exitCode}}</dd></div>
            <div><dt>{{l.started}}</dt><dd>{{started}}</dd></div><div><dt>{{l.ended}}</dt><dd>{{ended}}</dd></div>
            <div><dt>{{l.duration}}</dt><dd>{{duration}}</dd></div></dl>
            {{#message}}<p class="note">{{l.message}}: {{message}}</p>{{/message}}
            {{#canOperate}}<h2>{{l.actions}}</h2><div class="actions">
            {{#actions}}<form method="post" action="{{path}}{{query}}">{{> reason-field}}<button type="submit" class="{{kind}}" id="{{id}}">{{label}}</button></form>{{/actions}}
            </div>{{/canOperate}}
            {{^canOperate}}<p class="note">{{l.viewerNote}}</p>{{/canOperate}}
            <h2>{{l.attempts}}</h2>
            {{^hasAttempts}}<p class="empty">{{l.noAttempts}}</p>{{/hasAttempts}}
            {{#hasAttempts}}<table class="jobs"><thead><tr><th class="n">{{l.attempt}}</th><th>{{l.state}}</th><th class="n">{{l.exitCode}}</th>
            <th>{{l.verdict}}</th><th>{{l.start}}</th><th class="n">{{l.duration}}</th><th>{{l.message}}</th><th>{{l.logs}}</th></tr></thead><tbody>
            {{#attemptRows}}<tr><td class="n">{{number}}</td><td><span class="st {{stateClass}}">{{stateLabel}}</span></td><td class="n">{{exitCode}}</td>
            <td>{{verdict}}</td><td>{{start}}</td><td class="n">{{duration}}</td><td class="msg">{{#placement}}<small>{{l.ranOn}} {{placement}}</small><br>{{/placement}}{{message}}</td>
            <td><a href="{{view}}&amp;stream=stdout">{{l.stdout}}</a> · <a href="{{view}}&amp;stream=stderr">{{l.stderr}}</a></td></tr>{{/attemptRows}}
            </tbody></table>{{/hasAttempts}}
            {{#log}}<h2 id="log-heading">{{l.logs}} <small>{{l.attempt}} {{number}} · {{streamLabel}}</small></h2>
            <p><a href="{{otherStream}}">{{otherStreamLabel}}</a> · <a class="button" id="download-log" href="{{download}}" download>{{l.downloadLog}}</a> <span class="note">{{size}}</span></p>
            {{#truncated}}<p class="note">{{l.logTruncated}}</p>{{/truncated}}
            <pre class="log" id="log" data-tail="{{tail}}" data-offset="{{offset}}" data-follow="{{followFlag}}">{{text}}</pre>
            {{^hasText}}<p class="note" id="log-empty">{{l.logEmpty}}</p>{{/hasText}}
            {{#follow}}<p class="note" id="log-follow">{{l.following}} <noscript><a href="">{{l.reloadLog}}</a></noscript></p>{{/follow}}
            {{/log}}
            {{> console-foot}}
            """,
        "record-filters": """
            {{#hasProblems}}<div class="alert" role="alert">{{#problems}}<p>{{.}}</p>{{/problems}}</div>{{/hasProblems}}
            <form class="filters" method="get">{{#langValue}}<input type="hidden" name="lang" value="en">{{/langValue}}
            <label>{{l.net}}<select name="net"><option value="">{{l.any}}</option>{{#netOptions}}<option{{#selected}} selected{{/selected}}>{{value}}</option>{{/netOptions}}</select></label>
            <label>{{#alerts}}{{l.kind}}{{/alerts}}{{^alerts}}{{l.action}}{{/alerts}}<select name="{{#alerts}}kind{{/alerts}}{{^alerts}}action{{/alerts}}"><option value="">{{l.any}}</option>{{#kindOptions}}<option{{#selected}} selected{{/selected}}>{{value}}</option>{{/kindOptions}}</select></label>
            {{^alerts}}<label>{{l.user}}<select name="user"><option value="">{{l.any}}</option>{{#userOptions}}<option{{#selected}} selected{{/selected}}>{{value}}</option>{{/userOptions}}</select></label>{{/alerts}}
            <label>{{l.from}}<input type="date" name="from" value="{{fromValue}}"></label><label>{{l.to}}<input type="date" name="to" value="{{toValue}}"></label>
            <button type="submit">{{l.filter}}</button> <a href="?{{langParam}}">{{l.clear}}</a></form>
            <p class="note">{{l.limitNote}}</p>
            """,
        "console-alerts": """
            {{> console-head}}<h1>{{l.alerts}}</h1>{{> record-filters}}
            {{#empty}}<p class="empty">{{l.noAlerts}}</p>{{/empty}}
            {{^empty}}<table class="jobs" id="alerts"><thead><tr><th>{{l.at}}</th><th>{{l.net}}</th><th>{{l.kind}}</th><th>{{l.message}}</th><th>{{l.run}}</th></tr></thead><tbody>
            {{#alertRows}}<tr><td class="name">{{at}}</td><td>{{net}}</td><td><span class="st abnormal">{{kind}}</span></td><td class="msg">{{message}}</td>
            <td>{{#run}}<a href="/runs/{{run}}{{query}}">{{l.run}} {{run}}</a>{{/run}}</td></tr>{{/alertRows}}</tbody></table>{{/empty}}
            {{> console-foot}}
            """,
        "console-audit": """
            {{> console-head}}<h1>{{l.audit}}</h1>{{> record-filters}}
            {{#empty}}<p class="empty">{{l.noAudit}}</p>{{/empty}}
            {{^empty}}<table class="jobs" id="audit"><thead><tr><th>{{l.at}}</th><th>{{l.user}}</th><th>{{l.action}}</th><th>{{l.net}}</th><th>{{l.run}}</th>
            <th>{{l.job}}</th><th>{{l.reason}}</th><th>{{l.result}}</th><th>{{l.address}}</th></tr></thead><tbody>
            {{#auditRows}}<tr><td class="name">{{at}}</td><td>{{user}}</td><td>{{action}}</td><td>{{net}}</td><td>{{#run}}<a href="/runs/{{run}}{{query}}">{{run}}</a>{{/run}}</td>
            <td>{{job}}</td><td class="msg">{{reason}}</td><td class="msg">{{result}}</td><td>{{address}}</td></tr>{{/auditRows}}</tbody></table>{{/empty}}
            {{> console-foot}}
            """,
        "month-grid": """
            <table class="month"><caption>{{month}} <small class="note">{{l.operatingDays}} {{operatingDays}}</small></caption>
            <thead><tr>{{#weekdays}}<th class="{{class}}">{{name}}</th>{{/weekdays}}</tr></thead><tbody>
            {{#weeks}}<tr>{{#days}}{{#blank}}<td></td>{{/blank}}{{^blank}}<td class="{{class}}"{{#reasonFull}} title="{{reasonFull}}"{{/reasonFull}}>{{day}}{{#why}}<span class="why">{{why}}</span>{{/why}}</td>{{/blank}}{{/days}}</tr>{{/weeks}}
            </tbody></table>
            """,
        "plan-form": """
            <h2 id="plan">{{l.plan}}</h2><p class="note">{{l.planNote}}</p>
            <form class="filters" method="get" action="/calendars#plan">{{#langValue}}<input type="hidden" name="lang" value="en">{{/langValue}}
            <label>{{l.from}}<input type="date" name="from" value="{{planFrom}}" required></label><label>{{l.to}}<input type="date" name="to" value="{{planTo}}"></label>
            <button type="submit">{{l.show}}</button></form>
            {{#planProblem}}<div class="alert" role="alert"><p>{{planProblem}}</p></div>{{/planProblem}}
            {{#planned}}{{#planEmpty}}<p class="empty">{{l.noStarts}}</p>{{/planEmpty}}
            {{^planEmpty}}<table class="jobs" id="plan-table"><thead><tr><th>{{l.businessDate}}</th><th class="n">{{l.startsPerDay}}</th><th>{{l.startsAt}}</th><th>{{l.net}}</th><th>{{l.slot}}</th></tr></thead><tbody>
            {{#planDays}}{{#starts}}<tr><td class="name">{{date}} ({{weekday}})</td><td class="n">{{count}}</td><td class="name">{{at}}</td><td>{{net}}</td><td>{{slot}}</td></tr>{{/starts}}{{/planDays}}
            </tbody></table>{{/planEmpty}}{{/planned}}
            """,
        "console-calendars": """
            {{> console-head}}<h1>{{l.calendars}}</h1><p class="note">{{l.calendarsNote}}</p>
            <div class="months">{{#calendars}}<section><h2><a href="{{link}}">{{label}}</a></h2>{{#description}}<p class="note">{{description}}</p>{{/description}}
            {{#invalid}}<p class="alert">{{l.invalid}}</p>{{/invalid}}{{#months}}{{> month-grid}}{{/months}}</section>{{/calendars}}</div>
            {{> plan-form}}
            {{> console-foot}}
            """,
        "console-calendar": """
            {{> console-head}}
            <nav class="crumbs"><a href="/calendars{{query}}">{{l.calendars}}</a> › {{name}}</nav>
            <h1>{{l.calendar}} {{label}}</h1>{{#description}}<p class="note">{{description}}</p>{{/description}}
            <p><a href="{{prevLink}}">« {{l.prev}}</a> · <a href="{{nextLink}}">{{l.next}} »</a></p>
            <div class="months">{{#months}}{{> month-grid}}{{/months}}</div>
            <div class="cols"><section><h2>{{l.closedDays}}</h2>
            {{^hasClosed}}<p class="empty">—</p>{{/hasClosed}}
            {{#hasClosed}}<table class="jobs" id="closed-days"><thead><tr><th>{{l.date}}</th><th>{{l.weekday}}</th><th>{{l.reason}}</th></tr></thead><tbody>
            {{#closed}}<tr><td class="name">{{date}}</td><td>{{weekday}}</td><td>{{reason}}</td></tr>{{/closed}}</tbody></table>{{/hasClosed}}</section>
            {{#hasOpened}}<section><h2>{{l.openDays}}</h2><table class="jobs"><thead><tr><th>{{l.date}}</th><th>{{l.weekday}}</th><th>{{l.reason}}</th></tr></thead><tbody>
            {{#opened}}<tr><td class="name">{{date}}</td><td>{{weekday}}</td><td>{{reason}}</td></tr>{{/opened}}</tbody></table></section>{{/hasOpened}}</div>
            {{> console-foot}}
            """,
        "console-spool": """
            {{> console-head}}<h1>{{l.spool}}</h1>{{> console-notice}}
            {{^hasBatches}}<p class="empty">{{l.noBatches}}</p>{{/hasBatches}}
            {{#hasBatches}}<table class="jobs" id="batches"><thead><tr><th>{{l.batch}}</th><th>{{l.state}}</th><th>{{l.form}}</th><th class="n">{{l.notices}}</th>
            <th class="n">{{l.pages}}</th><th class="n">{{l.volumes}}</th><th class="n">{{l.rejected}}</th><th>{{l.vendor}}</th><th>{{l.rendered}}</th><th>{{l.user}}</th></tr></thead><tbody>
            {{#batches}}<tr><td class="name"><a href="{{link}}">{{l.batch}} {{id}}</a></td><td><span class="st {{state}}">{{stateLabel}}</span></td><td>{{form}}</td>
            <td class="n">{{notices}}</td><td class="n">{{pages}}</td><td class="n">{{volumes}}</td><td class="n">{{rejected}}</td><td>{{vendor}}</td><td class="name">{{rendered}}</td><td>{{user}}</td></tr>{{/batches}}
            </tbody></table>{{/hasBatches}}
            {{> console-foot}}
            """,
        "console-batch": """
            {{> console-head}}
            <nav class="crumbs"><a href="/spool{{query}}">{{l.spool}}</a> › {{l.batch}} {{id}}</nav>
            <h1>{{l.batch}} {{id}} <small>{{form}}</small> <span class="st {{state}}" id="batch-state">{{stateLabel}}</span></h1>
            {{> console-notice}}
            <dl class="facts">{{#facts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/facts}}</dl>
            {{#canOperate}}<h2>{{l.actions}}</h2><div class="actions">
            {{#canPrint}}<form method="post" action="/spool/batches/{{id}}/print{{query}}" class="wide" id="print-form">{{> reason-field}}
            <label>{{l.printer}}<input type="text" name="printer" value="{{lastPrinter}}" required></label>
            <label>{{l.printOptions}}<input type="text" name="options" placeholder="copies=1 sides=two-sided-long-edge"></label>
            <label>{{l.pagesPerJob}}<input type="text" name="pages_per_job" value="2000" size="6" style="width:6rem"></label>
            <label><span><input type="checkbox" name="again" value="1"> {{l.again}}</span></label>
            <button type="submit" class="go" id="print">{{l.printNow}}</button></form>{{/canPrint}}
            {{#canCancel}}<form method="post" action="/spool/batches/{{id}}/cancel{{query}}">{{> reason-field}}<button type="submit" class="danger" id="cancel-print">{{l.cancelPrint}}</button></form>{{/canCancel}}
            {{#canPublish}}<form method="post" action="/spool/batches/{{id}}/publish{{query}}">{{> reason-field}}
            <select name="vendor" aria-label="{{l.vendor}}">{{#vendors}}<option>{{.}}</option>{{/vendors}}</select><button type="submit" id="publish">{{l.publish}}</button></form>{{/canPublish}}
            {{#canPurge}}<form method="post" action="/spool/batches/{{id}}/purge{{query}}">{{> reason-field}}<button type="submit" class="danger" id="purge">{{l.purge}}</button></form>{{/canPurge}}
            </div>{{/canOperate}}
            {{^canOperate}}<p class="note">{{l.viewerNote}}</p>{{/canOperate}}
            <h2>{{l.prints}}</h2>
            {{#cupsProblem}}<div class="alert" role="alert"><p>{{cupsProblem}}</p></div>{{/cupsProblem}}
            {{^hasPrints}}<p class="empty">{{l.noPrints}}</p>{{/hasPrints}}
            {{#prints}}<section class="print" id="print-{{run}}"><h3>{{l.print}} {{run}} → {{printer}} <span class="st {{state}}">{{stateLabel}}</span>
            <small class="note">{{completed}}/{{jobCount}} · {{pages}} {{l.pages}}{{#executing}} · {{l.executing}}{{/executing}}</small></h3>
            {{#queueProblem}}<div class="alert queue-problem" role="alert"><p><strong>{{l.queueNow}}:</strong> {{queueProblem}}</p></div>{{/queueProblem}}
            {{#queueNote}}<p class="warn">{{l.queueNow}}: {{queueNote}}</p>{{/queueNote}}
            {{#error}}<div class="alert" role="alert"><p><strong>{{l.printError}}:</strong> {{error}}</p></div>{{/error}}
            <table class="jobs"><thead><tr><th class="n">#</th><th>{{l.volume}}</th><th class="n">{{l.pages}}</th><th class="n">{{l.ippJob}}</th><th>{{l.ippState}}</th><th>{{l.cupsMessage}}</th></tr></thead><tbody>
            {{#jobs}}<tr><td class="n">{{seq}}</td><td>{{volume}} {{ranges}}</td><td class="n">{{pages}}</td><td class="n">{{ipp}}</td><td><span class="st {{state}}">{{state}}</span></td><td class="msg">{{message}}</td></tr>{{/jobs}}
            </tbody></table></section>{{/prints}}
            <h2>{{l.history}}</h2>
            <table class="jobs" id="history"><thead><tr><th>{{l.at}}</th><th>{{l.state}}</th><th>{{l.user}}</th><th>{{l.detail}}</th></tr></thead><tbody>
            {{#history}}<tr><td class="name">{{at}}</td><td><span class="st {{state}}">{{stateLabel}}</span></td><td>{{user}}</td><td class="msg">{{detail}}</td></tr>{{/history}}
            </tbody></table>
            {{#hasLedger}}<h2>情報管理台帳 <small>custody ledger</small></h2>
            <table class="jobs" id="ledger"><thead><tr><th>{{l.at}}</th><th>{{l.kind}}</th><th>{{l.user}}</th><th>{{l.volume}}</th><th class="n">bytes</th><th>{{l.address}}</th><th>{{l.result}}</th></tr></thead><tbody>
            {{#ledger}}<tr><td class="name">{{at}}</td><td>{{kind}}</td><td>{{account}}</td><td>{{file}}</td><td class="n">{{bytes}}</td><td>{{client}}</td><td>{{outcome}} {{detail}}</td></tr>{{/ledger}}
            </tbody></table>{{/hasLedger}}
            {{> console-foot}}
            """,
    ]
}
