<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AlertBanner</name>
    <message>
        <source>查看</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>在队列中打开这件事件</source>
        <translation>Open this incident in the queue</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <source>关闭提醒</source>
        <translation>Dismiss the alert</translation>
    </message>
</context>
<context>
    <name>AttachmentList</name>
    <message>
        <source>Delete 键移除所选附件</source>
        <translation>Delete removes the selected attachment</translation>
    </message>
    <message>
        <source>{0}
未添加：{1}</source>
        <translation>{0}
not added: {1}</translation>
    </message>
    <message>
        <source>视频取证 {0}</source>
        <translation>Video evidence {0}</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>操作前缀，如 auth.</source>
        <translation>Action prefix, e.g. auth.</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>显示最近 {0} 条</source>
        <translation>Showing the latest {0} entries</translation>
    </message>
</context>
<context>
    <name>BulkActions</name>
    <message>
        <source>批量{0}：{1} 件已处理</source>
        <translation>Bulk {0}: {1} done</translation>
    </message>
    <message>
        <source>。</source>
        <translation>.</translation>
    </message>
    <message>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <source>，{0} 件未处理：</source>
        <translation>, {0} not done: </translation>
    </message>
</context>
<context>
    <name>BulkButton</name>
    <message>
        <source>批量</source>
        <translation>Bulk</translation>
    </message>
    <message>
        <source>对选中的多件事件一并操作（Shift/Ctrl 多选）</source>
        <translation>Act on all selected incidents (Shift/Ctrl to select several)</translation>
    </message>
    <message>
        <source>{0}（选中的全部事件，{1}）</source>
        <translation>{0} (all selected incidents, {1})</translation>
    </message>
</context>
<context>
    <name>CalendarGrid</name>
    <message>
        <source>{0} {1}</source>
        <translation>{0} {1}</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <source>编辑摄像机</source>
        <translation>Edit camera</translation>
    </message>
    <message>
        <source>新增摄像机</source>
        <translation>New camera</translation>
    </message>
    <message>
        <source>20 位国标编码</source>
        <translation>20-digit national code</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <source>国标编码</source>
        <translation>National code</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <source>点位</source>
        <translation>Site</translation>
    </message>
    <message>
        <source>主码流</source>
        <translation>Main stream</translation>
    </message>
    <message>
        <source>子码流</source>
        <translation>Sub stream</translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <source>全部调解室</source>
        <translation>All rooms</translation>
    </message>
    <message>
        <source>全部调解员</source>
        <translation>All mediators</translation>
    </message>
    <message>
        <source>纠纷类别</source>
        <translation>Dispute category</translation>
    </message>
    <message>
        <source>月份，如 2026-11</source>
        <translation>Month, e.g. 2026-11</translation>
    </message>
    <message>
        <source>调解协议内容（调解成功时必填）</source>
        <translation>Agreement text (required for an agreement)</translation>
    </message>
    <message>
        <source>协议金额（元）</source>
        <translation>Agreed amount (yuan)</translation>
    </message>
    <message>
        <source>协议</source>
        <translation>Agreement</translation>
    </message>
    <message>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>状态：{0}</source>
        <translation>State: {0}</translation>
    </message>
    <message>
        <source>当事人：{0}</source>
        <translation>Parties: {0}</translation>
    </message>
    <message>
        <source>协议：{0}</source>
        <translation>Agreement: {0}</translation>
    </message>
</context>
<context>
    <name>Channel</name>
    <message>
        <source>网格员上报</source>
        <translation>Grid worker</translation>
    </message>
    <message>
        <source>电话/热线</source>
        <translation>Phone/hotline</translation>
    </message>
    <message>
        <source>来访</source>
        <translation>Walk-in</translation>
    </message>
    <message>
        <source>视频巡查</source>
        <translation>Video patrol</translation>
    </message>
    <message>
        <source>群众APP</source>
        <translation>Citizen app</translation>
    </message>
    <message>
        <source>部门转办</source>
        <translation>Department referral</translation>
    </message>
</context>
<context>
    <name>Countdown</name>
    <message>
        <source>{0}天</source>
        <translation>{0} d</translation>
    </message>
    <message>
        <source>{0}小时</source>
        <translation>{0} h</translation>
    </message>
    <message>
        <source>{0}分钟</source>
        <translation>{0} min</translation>
    </message>
    <message>
        <source>超期 {0}</source>
        <translation>overdue {0}</translation>
    </message>
    <message>
        <source>剩 {0}</source>
        <translation>{0} left</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>事件与来访（近 12 个月）</source>
        <translation>Incidents and visits (last 12 months)</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>重新统计（F5）</source>
        <translation>Recount (F5)</translation>
    </message>
    <message>
        <source>受理事件</source>
        <translation>Incidents received</translation>
    </message>
    <message>
        <source>办结事件</source>
        <translation>Incidents closed</translation>
    </message>
    <message>
        <source>处置成功率</source>
        <translation>Success rate</translation>
    </message>
    <message>
        <source>在办事件</source>
        <translation>Open incidents</translation>
    </message>
    <message>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>每月受理事件</source>
        <translation>Incidents per month</translation>
    </message>
    <message>
        <source>事件类别</source>
        <translation>Incident categories</translation>
    </message>
    <message>
        <source>今日来访</source>
        <translation>Visits today</translation>
    </message>
    <message>
        <source>本月来访</source>
        <translation>Visits this month</translation>
    </message>
    <message>
        <source>近 12 个月来访</source>
        <translation>Visits in 12 months</translation>
    </message>
    <message>
        <source>集体访（5 人以上）</source>
        <translation>Collective visits (5+ people)</translation>
    </message>
    <message>
        <source>每月来访量</source>
        <translation>Visits per month</translation>
    </message>
    <message>
        <source>来访事由</source>
        <translation>Purpose of visit</translation>
    </message>
    <message>
        <source>月</source>
        <translation></translation>
    </message>
</context>
<context>
    <name>DaySheet</name>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <source>调解员</source>
        <translation>Mediators</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>当天没有调解安排</source>
        <translation>No sessions on this day</translation>
    </message>
</context>
<context>
    <name>DomainMessages</name>
    <message>
        <source>只能导出为 CSV（.csv）或 Excel（.xlsx）文件。</source>
        <translation>Export only to a CSV (.csv) or Excel (.xlsx) file.</translation>
    </message>
    <message>
        <source>涉及人数请填写整数，例如 1 或 12。</source>
        <translation>Enter the number of people involved as a whole number, e.g. 1 or 12.</translation>
    </message>
    <message>
        <source>请填写上报人姓名（匿名来电可写“匿名”）。</source>
        <translation>Enter the reporter&apos;s name (write “匿名” for an anonymous call).</translation>
    </message>
    <message>
        <source>上报人姓名太长（不超过 32 个字）。</source>
        <translation>The reporter&apos;s name is too long (at most 32 characters).</translation>
    </message>
    <message>
        <source>请填写事件标题（不超过 128 个字）。</source>
        <translation>Enter a title for the incident (at most 128 characters).</translation>
    </message>
    <message>
        <source>事件描述太短，请写清时间、地点、人物和经过。</source>
        <translation>The description is too short: say when, where, who and what happened.</translation>
    </message>
    <message>
        <source>请填写事发地点。</source>
        <translation>Enter where it happened.</translation>
    </message>
    <message>
        <source>请填写上报人。</source>
        <translation>Enter the reporter.</translation>
    </message>
    <message>
        <source>上报时间晚于现在，请核对日期。</source>
        <translation>The report time is later than now; check the date.</translation>
    </message>
    <message>
        <source>没有要办理的操作。</source>
        <translation>There is no step to carry out.</translation>
    </message>
    <message>
        <source>县级答复请使用“记录县级答复”。</source>
        <translation>Use “Record the county&apos;s answer” for a county reply.</translation>
    </message>
    <message>
        <source>合并请选择要合并到的另一件事件。</source>
        <translation>To merge, choose the other incident to merge into.</translation>
    </message>
    <message>
        <source>处置时限缺少时区，请重新选择日期和时间。</source>
        <translation>The deadline has no time zone; choose the date and time again.</translation>
    </message>
    <message>
        <source>处置时限不能早于现在，请选择以后的日期和时间。</source>
        <translation>The deadline cannot be in the past; choose a later date and time.</translation>
    </message>
    <message>
        <source>调整处置时限需要填写理由。</source>
        <translation>Changing the deadline needs a reason.</translation>
    </message>
    <message>
        <source>合并需要填写理由。</source>
        <translation>A merge needs a reason.</translation>
    </message>
    <message>
        <source>不能把事件合并到它自己。</source>
        <translation>An incident cannot be merged into itself.</translation>
    </message>
    <message>
        <source>找不到该事件，可能已被删除或尚未同步。</source>
        <translation>Incident not found; it may have been deleted or not synchronised yet.</translation>
    </message>
    <message>
        <source>请选择要合并到的另一件事件。</source>
        <translation>Choose the other incident to merge into.</translation>
    </message>
    <message>
        <source>已办结的事件不能再调整风险等级。</source>
        <translation>The risk level of a finished incident cannot be changed.</translation>
    </message>
    <message>
        <source>要合并到的事件不存在，请重新选择。</source>
        <translation>The incident to merge into does not exist; choose again.</translation>
    </message>
    <message>
        <source>请选择派遣的部门或站所。</source>
        <translation>Choose the department or station to dispatch to.</translation>
    </message>
    <message>
        <source>月份应写成 年-月，例如 2026-11，“{month}”不对</source>
        <translation>The month must be written year-month, e.g. 2026-11, not “{month}”</translation>
    </message>
    <message>
        <source>时长应在 5 分钟到 12 小时之间</source>
        <translation>The length must be between 5 minutes and 12 hours</translation>
    </message>
    <message>
        <source>查找范围应在两个月以内，且结束晚于开始</source>
        <translation>The search range must be at most two months, with the end after the start</translation>
    </message>
    <message>
        <source>日历文件中有全天事件，值班安排需要开始和结束时间</source>
        <translation>The calendar file has all-day events; a duty slot needs a start and an end time</translation>
    </message>
    <message>
        <source>日历文件太大（{size} KB，最多 {limit} KB）</source>
        <translation>The calendar file is too large ({size} KB, at most {limit} KB)</translation>
    </message>
    <message>
        <source>日历文件在所选时间内有 {count} 个事件，最多 {limit} 个</source>
        <translation>The calendar file has {count} events in the chosen period, at most {limit}</translation>
    </message>
    <message>
        <source>不是有效的 iCalendar 文件（{reason}）</source>
        <translation>Not a valid iCalendar file ({reason})</translation>
    </message>
    <message>
        <source>“{summary}”中没有本中心调解员的名字</source>
        <translation>“{summary}” names none of the centre&apos;s mediators</translation>
    </message>
    <message>
        <source>文件中“{summary}”{start}–{end} 与另一事件重叠</source>
        <translation>In the file, “{summary}” {start}–{end} overlaps another event</translation>
    </message>
    <message>
        <source>重复规则应为一行 RRULE，例如 FREQ=WEEKLY;BYDAY=TU;COUNT=10</source>
        <translation>The repeat rule must be one RRULE line, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=10</translation>
    </message>
    <message>
        <source>重复规则没有结束日期或次数，请填写结束日期（最长两年）</source>
        <translation>The repeat rule has no end date or count; enter an end date (at most two years)</translation>
    </message>
    <message>
        <source>重复规则从 {first} 起没有产生任何日期，请检查星期和结束日期</source>
        <translation>The repeat rule produces no date from {first}; check the weekdays and the end date</translation>
    </message>
    <message>
        <source>重复规则“{rule}”无法识别（{reason}）</source>
        <translation>The repeat rule “{rule}” cannot be read ({reason})</translation>
    </message>
    <message>
        <source>重复安排超过两年（{first} 起），请缩短结束日期</source>
        <translation>The series runs past two years (from {first}); choose an earlier end date</translation>
    </message>
    <message>
        <source>重复安排超过 {limit} 次，请缩短结束日期</source>
        <translation>The series has more than {limit} occurrences; choose an earlier end date</translation>
    </message>
    <message>
        <source>每次时长应在 5 分钟到 12 小时之间，{minutes} 分钟不行</source>
        <translation>Each occurrence must last 5 minutes to 12 hours, not {minutes} minutes</translation>
    </message>
    <message>
        <source>重复安排中有 {count} 次冲突，第一次在 {day}：{clash}</source>
        <translation>The series has {count} clashes, the first on {day}: {clash}</translation>
    </message>
    <message>
        <source>这场调解不属于重复安排</source>
        <translation>This session is not part of a series</translation>
    </message>
    <message>
        <source>修改后有 {count} 次冲突，第一次在 {day}：{clash}（未作任何修改）</source>
        <translation>After the change {count} occurrences would clash, the first on {day}: {clash} (nothing was changed)</translation>
    </message>
    <message>
        <source>调解安排不存在（可能已被删除）</source>
        <translation>The session does not exist (it may have been deleted)</translation>
    </message>
    <message>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>调解时间缺少时区，请按北京时间填写</source>
        <translation>The session time has no time zone; enter it in Beijing time</translation>
    </message>
    <message>
        <source>结束时间 {end} 早于开始时间 {start}</source>
        <translation>The end time {end} is before the start time {start}</translation>
    </message>
    <message>
        <source>调解时长为零（{start} 开始也在 {start} 结束），请填写结束时间</source>
        <translation>The session has no length (it starts and ends at {start}); enter the end time</translation>
    </message>
    <message>
        <source>调解安排不能跨天：{start_day} {start} 开始，{end_day} {end} 结束，请分成每天一场</source>
        <translation>A session cannot run past midnight: it starts {start_day} {start} and ends {end_day} {end}; book one session per day</translation>
    </message>
    <message>
        <source>调解员 {name} {weekday}可约时间为 {hours}，{start}–{end} 不在其中</source>
        <translation>Mediator {name} can sit on {weekday} at {hours}; {start}–{end} is outside that</translation>
    </message>
    <message>
        <source>{room} 只能容纳 {capacity} 人，本场有 {people} 人（当事人和调解员）</source>
        <translation>{room} holds {capacity} people; this session has {people} (parties and mediators)</translation>
    </message>
    <message>
        <source>时间“{text}”应写成 时:分，例如 08:30</source>
        <translation>The time “{text}” must be written as hours:minutes, e.g. 08:30</translation>
    </message>
    <message>
        <source>星期应为 1 到 7，“{key}”不对</source>
        <translation>The weekday must be 1 to 7, not “{key}”</translation>
    </message>
    <message>
        <source>开放时间应为开始和结束两个时间</source>
        <translation>Opening hours need an opening and a closing time</translation>
    </message>
    <message>
        <source>关门时间 {closes} 不晚于开门时间 {opens}</source>
        <translation>The closing time {closes} is not after the opening time {opens}</translation>
    </message>
    <message>
        <source>{room} 的开放时间是 {opens}–{closes}，{start}–{end} 超出了开放时间</source>
        <translation>{room} is open {opens}–{closes}; {start}–{end} is outside the opening hours</translation>
    </message>
    <message>
        <source>{room} 在 {first} 至 {last} 暂停使用（{reason}）</source>
        <translation>{room} is closed from {first} to {last} ({reason})</translation>
    </message>
    <message>
        <source>{day} 是法定节假日，{room} 不开放</source>
        <translation>{day} is a public holiday; {room} is closed</translation>
    </message>
    <message>
        <source>{room} {weekday}（{day}）不开放</source>
        <translation>{room} is closed on {weekday} ({day})</translation>
    </message>
    <message>
        <source>争议金额</source>
        <translation>amount in dispute</translation>
    </message>
    <message>
        <source>已安排</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>已举行</source>
        <translation>Held</translation>
    </message>
    <message>
        <source>未到场</source>
        <translation>No-show</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>{what}含有不可见的控制字符，请重新输入</source>
        <translation>{what} contains invisible control characters; type it again</translation>
    </message>
    <message>
        <source>请填写{what}</source>
        <translation>Enter the {what}</translation>
    </message>
    <message>
        <source>{what}不能超过 {limit} 个字</source>
        <translation>{what} cannot be longer than {limit} characters</translation>
    </message>
    <message>
        <source>{what}应在 0 到 10 亿元之间</source>
        <translation>{what} must be between 0 and 1 billion yuan</translation>
    </message>
    <message>
        <source>这个时段刚被其他工作台预约，请刷新日历后重试</source>
        <translation>This slot was just booked at another desk; refresh the calendar and try again</translation>
    </message>
    <message>
        <source>{what}“{raw}”不是数字</source>
        <translation>{what} “{raw}” is not a number</translation>
    </message>
    <message>
        <source>纠纷类别</source>
        <translation>dispute category</translation>
    </message>
    <message>
        <source>请至少填写一方当事人</source>
        <translation>Enter at least one party</translation>
    </message>
    <message>
        <source>当事人不能超过 {limit} 人，集体纠纷请登记代表</source>
        <translation>At most {limit} parties; for a collective dispute register representatives</translation>
    </message>
    <message>
        <source>纠纷概要</source>
        <translation>dispute summary</translation>
    </message>
    <message>
        <source>当事人姓名</source>
        <translation>party&apos;s name</translation>
    </message>
    <message>
        <source>当事人 {name} 的电话“{phone}”应为 11 位手机号或带区号的固定电话</source>
        <translation>The phone number “{phone}” of party {name} must be an 11-digit mobile or a landline with area code</translation>
    </message>
    <message>
        <source>请选择调解结果</source>
        <translation>Choose the outcome</translation>
    </message>
    <message>
        <source>调解协议内容</source>
        <translation>agreement text</translation>
    </message>
    <message>
        <source>协议金额</source>
        <translation>agreed amount</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>note</translation>
    </message>
    <message>
        <source>取消原因</source>
        <translation>reason for cancelling</translation>
    </message>
    <message>
        <source>暂停原因</source>
        <translation>reason for the closure</translation>
    </message>
    <message>
        <source>暂停结束日期 {last} 早于开始日期 {first}</source>
        <translation>The closure&apos;s last day {last} is before its first day {first}</translation>
    </message>
    <message>
        <source>所选调解室不存在或已停用</source>
        <translation>The chosen room does not exist or is no longer in use</translation>
    </message>
    <message>
        <source>所选调解员不存在</source>
        <translation>The chosen mediator does not exist</translation>
    </message>
    <message>
        <source>调解案件不存在（可能已被删除）</source>
        <translation>The mediation case does not exist (it may have been deleted)</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>title</translation>
    </message>
    <message>
        <source>案件名称</source>
        <translation>case title</translation>
    </message>
    <message>
        <source>案件 {case_no} 还没有已举行的调解，不能记录调解不成</source>
        <translation>Case {case_no} has no session held yet; it cannot be recorded as failed</translation>
    </message>
    <message>
        <source>这场调解已是“{status}”，不能再调整时间</source>
        <translation>This session is already “{status}”; its time cannot change</translation>
    </message>
    <message>
        <source>这场调解已是“{status}”，不能再改为“{target}”</source>
        <translation>This session is already “{status}”; it cannot become “{target}”</translation>
    </message>
    <message>
        <source>这场调解 {start} 才开始，还不能登记为“{target}”</source>
        <translation>This session starts at {start}; it cannot be recorded as “{target}” yet</translation>
    </message>
    <message>
        <source>调解员不存在</source>
        <translation>The mediator does not exist</translation>
    </message>
    <message>
        <source>调解员 {name} 已停用，不能安排调解</source>
        <translation>Mediator {name} is deactivated and cannot be booked</translation>
    </message>
    <message>
        <source>所选当事人不属于案件 {case_no}</source>
        <translation>The chosen parties do not belong to case {case_no}</translation>
    </message>
    <message>
        <source>值班安排至少要有一位调解员</source>
        <translation>A duty slot needs at least one mediator</translation>
    </message>
    <message>
        <source>调解室 {name} 已有安排：与 {start}–{end} {room} {title}冲突</source>
        <translation>Room {name} is booked: clashes with {start}–{end} {room} {title}</translation>
    </message>
    <message>
        <source>调解室 {name} 两场之间要留 {minutes} 分钟：与 {start}–{end} {room} {title}冲突</source>
        <translation>Room {name} needs {minutes} minutes between sessions: clashes with {start}–{end} {room} {title}</translation>
    </message>
    <message>
        <source>调解员 {name} 已有安排：与 {start}–{end} {room} {title}冲突</source>
        <translation>Mediator {name} is booked: clashes with {start}–{end} {room} {title}</translation>
    </message>
    <message>
        <source>当事人 {name} 已有安排：与 {start}–{end} {room} {title}冲突</source>
        <translation>Party {name} is booked: clashes with {start}–{end} {room} {title}</translation>
    </message>
    <message>
        <source>调解成功须填写调解协议内容</source>
        <translation>A successful mediation needs the agreement text</translation>
    </message>
    <message>
        <source>案件 {case_no} 还没有已举行的调解，不能记录调解成功</source>
        <translation>Case {case_no} has no session held yet; it cannot be recorded as successful</translation>
    </message>
    <message>
        <source>调解员 {name} 还有 {count} 场未开始的调解，请先改派或取消</source>
        <translation>Mediator {name} still has {count} sessions ahead; reassign or cancel them first</translation>
    </message>
    <message>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>调解中</source>
        <translation>In mediation</translation>
    </message>
    <message>
        <source>调解成功</source>
        <translation>Agreement reached</translation>
    </message>
    <message>
        <source>调解不成</source>
        <translation>No agreement</translation>
    </message>
    <message>
        <source>转诉讼</source>
        <translation>Referred to court</translation>
    </message>
    <message>
        <source>申请司法确认</source>
        <translation>Judicial confirmation</translation>
    </message>
    <message>
        <source>撤回</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>安排调解</source>
        <translation>book a session</translation>
    </message>
    <message>
        <source>记录调解成功</source>
        <translation>record an agreement</translation>
    </message>
    <message>
        <source>记录调解不成</source>
        <translation>record no agreement</translation>
    </message>
    <message>
        <source>调解案件 {case_no} 当前为“{state}”，不能{action}</source>
        <translation>Mediation case {case_no} is “{state}”; it cannot {action}</translation>
    </message>
    <message>
        <source>请填写身份证号码。</source>
        <translation>Enter the resident ID number.</translation>
    </message>
    <message>
        <source>身份证号码前 17 位应为数字，最后一位为数字或 X，请核对。</source>
        <translation>The first 17 characters of an ID number are digits and the last is a digit or X; check it.</translation>
    </message>
    <message>
        <source>身份证号码校验位不正确，可能有数字输错，请核对。</source>
        <translation>The ID number&apos;s check digit is wrong; a digit may be mistyped. Check it.</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期晚于今天，请核对。</source>
        <translation>The birth date in the ID number is after today; check it.</translation>
    </message>
    <message>
        <source>身份证号码中的地区代码不存在，请核对。</source>
        <translation>The region code in the ID number does not exist; check it.</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期不存在，请核对。</source>
        <translation>The birth date in the ID number does not exist; check it.</translation>
    </message>
    <message>
        <source>请填写来访人姓名（不超过 32 个字）。</source>
        <translation>Enter the visitor&apos;s name (at most 32 characters).</translation>
    </message>
    <message>
        <source>联系电话应为 11 位手机号或带区号的固定电话，请核对。</source>
        <translation>The phone must be an 11-digit mobile number or a landline with area code; check it.</translation>
    </message>
    <message>
        <source>请选择分流去向（窗口、调解室或部门）。</source>
        <translation>Choose where to route the visitor (window, mediation room or department).</translation>
    </message>
    <message>
        <source>请输入用户名和密码。</source>
        <translation>Enter your user name and password.</translation>
    </message>
    <message>
        <source>用户名只能由字母、数字和下划线组成，请重新输入。</source>
        <translation>A user name may hold only letters, digits and underscores; enter it again.</translation>
    </message>
    <message>
        <source>请填写姓名。</source>
        <translation>Enter the name.</translation>
    </message>
    <message>
        <source>请至少选择一个角色。</source>
        <translation>Choose at least one role.</translation>
    </message>
    <message>
        <source>系统账号没有密码。</source>
        <translation>System accounts have no password.</translation>
    </message>
    <message>
        <source>找不到当前用户，请重新登录。</source>
        <translation>The current user was not found; sign in again.</translation>
    </message>
    <message>
        <source>原密码错误，请重新输入。</source>
        <translation>The old password is wrong; enter it again.</translation>
    </message>
    <message>
        <source>找不到该用户。</source>
        <translation>User not found.</translation>
    </message>
    <message>
        <source>密码需同时包含字母和数字，请重新输入。</source>
        <translation>A password needs both letters and digits; enter it again.</translation>
    </message>
    <message>
        <source>乡镇代码应为 9 位数字（区划代码前 9 位），例如 330327102。</source>
        <translation>The township code has 9 digits (the first 9 of the area code), e.g. 330327102.</translation>
    </message>
    <message>
        <source>该项不能为空。</source>
        <translation>This field cannot be empty.</translation>
    </message>
    <message>
        <source>县级服务器地址应以 http:// 或 https:// 开头。</source>
        <translation>The county server address must start with http:// or https://.</translation>
    </message>
    <message>
        <source>同步凭据格式不对，请完整粘贴县级中心签发的凭据。</source>
        <translation>The sync credential is malformed; paste the whole credential the county centre issued.</translation>
    </message>
    <message>
        <source>界面语言只能是 zh_CN 或 en。</source>
        <translation>The interface language can only be zh_CN or en.</translation>
    </message>
    <message>
        <source>请输入整数。</source>
        <translation>Enter a whole number.</translation>
    </message>
    <message>
        <source>文件编码无法识别，请另存为 UTF-8 编码的 CSV 后再导入。</source>
        <translation>The file&apos;s encoding is not recognised; save it as UTF-8 CSV and import again.</translation>
    </message>
    <message>
        <source>表头缺少必填列：国标编码、名称、主码流。请按模板修改表头后再导入。</source>
        <translation>The header lacks required columns: 国标编码, 名称, 主码流. Fix the header as in the template and import again.</translation>
    </message>
    <message>
        <source>文件是空的，请选择含表头的摄像机 CSV 文件。</source>
        <translation>The file is empty; choose a camera CSV file with a header.</translation>
    </message>
    <message>
        <source>本机未安装 ffmpeg，无法录像，请联系管理员安装。</source>
        <translation>ffmpeg is not installed on this computer, so no clip can be recorded; ask the administrator to install it.</translation>
    </message>
    <message>
        <source>录像时长应在 1–600 秒之间。</source>
        <translation>A clip must last 1–600 seconds.</translation>
    </message>
    <message>
        <source>录像失败：摄像机码流无法连接或已中断，没有录到画面。请确认画面正常后重试。</source>
        <translation>Recording failed: the camera stream could not be reached or broke off, and nothing was recorded. Check that the picture plays, then try again.</translation>
    </message>
    <message>
        <source>取证文件没有生成（画面可能尚未播放），请等画面出现后重试。</source>
        <translation>No evidence file was made (the picture may not be playing yet); wait for the picture and try again.</translation>
    </message>
    <message>
        <source>找不到该摄像机，可能已被删除。</source>
        <translation>Camera not found; it may have been deleted.</translation>
    </message>
    <message>
        <source>找不到该取证材料，可能已被删除。</source>
        <translation>Evidence not found; it may have been deleted.</translation>
    </message>
    <message>
        <source>找不到该取证材料。</source>
        <translation>Evidence not found.</translation>
    </message>
    <message>
        <source>找不到该摄像机，可能已被删除，请刷新目录。</source>
        <translation>Camera not found; it may have been deleted. Refresh the camera tree.</translation>
    </message>
    <message>
        <source>轮巡列表为空，请先加入摄像机。</source>
        <translation>The tour is empty; add cameras first.</translation>
    </message>
    <message>
        <source>请为轮巡方案起个名称。</source>
        <translation>Give the tour a name.</translation>
    </message>
    <message>
        <source>未知的分屏方式，请重新选择。</source>
        <translation>Unknown layout; choose again.</translation>
    </message>
    <message>
        <source>轮巡列表为空，请先加入摄像机或村/点位。</source>
        <translation>The tour is empty; add cameras or villages/sites first.</translation>
    </message>
    <message>
        <source>请为墙面起一个 1–64 字的名称。</source>
        <translation>Give the wall a name of 1–64 characters.</translation>
    </message>
</context>
<context>
    <name>ErrorReporting</name>
    <message>
        <source>数据库 {0} 由更新版本的程序创建，本程序无法安全使用它。请升级本程序后再打开；数据库未作任何修改。</source>
        <translation>The database {0} was written by a newer version of this program and cannot be used safely. Please upgrade the program and open it again; the database was not changed.</translation>
    </message>
    <message>
        <source>数据库 {0} 正被另一个程序占用（已锁定）。请关闭其他正在使用它的窗口或程序后重试；数据库未作任何修改。</source>
        <translation>The database {0} is locked by another program. Close the other window or program using it and try again; the database was not changed.</translation>
    </message>
    <message>
        <source>数据库 {0} 或其所在文件夹是只读的，无法写入。请检查文件权限或磁盘空间，或用 --db 指定其他位置；数据库未作任何修改。</source>
        <translation>The database {0} or its folder is read-only. Check the file permissions or disk space, or choose another location with --db; the database was not changed.</translation>
    </message>
    <message>
        <source>文件 {0} 不是本程序的数据库或已损坏。请从备份恢复，或用 --db 指定其他文件；该文件未作任何修改。</source>
        <translation>The file {0} is not a database of this program or is damaged. Restore it from a backup or choose another file with --db; the file was not changed.</translation>
    </message>
    <message>
        <source>无法打开数据库 {0}：{1}</source>
        <translation>Cannot open the database {0}: {1}</translation>
    </message>
    <message>
        <source>程序遇到了一个意外错误，刚才的操作可能没有完成。您可以继续工作；如果问题反复出现，请把日志文件 {0} 发给系统管理员。</source>
        <translation>The program met an unexpected error and the last action may not have completed. You can keep working; if it happens again, send the log file {0} to the system administrator.</translation>
    </message>
    <message>
        <source>无法完成操作</source>
        <translation>The action could not be completed</translation>
    </message>
    <message>
        <source>意外错误</source>
        <translation>Unexpected error</translation>
    </message>
</context>
<context>
    <name>EvidencePicker</name>
    <message>
        <source>选择视频证据</source>
        <translation>Choose video evidence</translation>
    </message>
    <message>
        <source>截图</source>
        <translation>Snapshot</translation>
    </message>
    <message>
        <source>录像</source>
        <translation>Clip</translation>
    </message>
    <message>
        <source>您没有未关联事件的截图或录像。</source>
        <translation>You have no snapshots or clips that are not yet attached to an incident.</translation>
    </message>
</context>
<context>
    <name>ExportRun</name>
    <message>
        <source>无法写入文件：{0}。请换一个保存位置再试。</source>
        <translation>Cannot write the file: {0}. Choose another location and try again.</translation>
    </message>
    <message>
        <source>正在导出到 {0} …</source>
        <translation>Exporting to {0} …</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>导出事件</source>
        <translation>Export incidents</translation>
    </message>
    <message>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>已导出 {0} 件事件到 {1}</source>
        <translation>Exported {0} incidents to {1}</translation>
    </message>
    <message>
        <source>导出完成</source>
        <translation>Export finished</translation>
    </message>
    <message>
        <source>导出未完成</source>
        <translation>Export not completed</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV 文件，UTF-8 (*.csv)</source>
        <translation>CSV file, UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>导出当前队列</source>
        <translation>Export the current queue</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>搜索标题、地点、描述或案件编号（Ctrl+F）</source>
        <translation>Search title, place, description or case number (Ctrl+F)</translation>
    </message>
    <message>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>全部风险</source>
        <translation>All risk levels</translation>
    </message>
    <message>
        <source>全部来源</source>
        <translation>All channels</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <source>全部村社</source>
        <translation>All villages</translation>
    </message>
    <message>
        <source>全部网格</source>
        <translation>All grids</translation>
    </message>
    <message>
        <source>未派遣</source>
        <translation>Not dispatched</translation>
    </message>
    <message>
        <source>按部门队列：选择承办部门</source>
        <translation>By-department queue: choose the department</translation>
    </message>
    <message>
        <source>上报日期起（含）</source>
        <translation>Reported from (inclusive)</translation>
    </message>
    <message>
        <source>上报日期止（含）</source>
        <translation>Reported until (inclusive)</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>恢复为不加筛选的队列</source>
        <translation>Show the queue without filters</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>上报日期</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>Any</translation>
    </message>
    <message>
        <source>至少输入两个字</source>
        <translation>Type at least two characters</translation>
    </message>
    <message>
        <source>起始日期晚于结束日期，请重新选择日期范围。</source>
        <translation>The start date is after the end date; choose the range again.</translation>
    </message>
</context>
<context>
    <name>GridPicker</name>
    <message>
        <source>（不指定村社）</source>
        <translation>(no village)</translation>
    </message>
    <message>
        <source>（不指定网格）</source>
        <translation>(no grid)</translation>
    </message>
</context>
<context>
    <name>HealthDialog</name>
    <message>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>无法播放</source>
        <translation>Cannot play</translation>
    </message>
    <message>
        <source>未播放过</source>
        <translation>Never played</translation>
    </message>
    <message>
        <source>摄像机在线状态</source>
        <translation>Camera health</translation>
    </message>
    <message>
        <source>摄像机</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>离线起始</source>
        <translation>Offline since</translation>
    </message>
    <message>
        <source>最近正常播放</source>
        <translation>Last played</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <source>摄像机导入结果</source>
        <translation>Camera import result</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Content</translation>
    </message>
</context>
<context>
    <name>IncidentAction</name>
    <message>
        <source>立案受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>合并重复</source>
        <translation>Merge duplicate</translation>
    </message>
    <message>
        <source>派遣</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <source>开始处置</source>
        <translation>Start work</translation>
    </message>
    <message>
        <source>处置反馈</source>
        <translation>Report handled</translation>
    </message>
    <message>
        <source>核实通过</source>
        <translation>Verify</translation>
    </message>
    <message>
        <source>核实未通过</source>
        <translation>Verification failed</translation>
    </message>
    <message>
        <source>结案</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>上报县级</source>
        <translation>Escalate to county</translation>
    </message>
    <message>
        <source>县级答复</source>
        <translation>County reply</translation>
    </message>
</context>
<context>
    <name>IncidentDetail</name>
    <message>
        <source>上报</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>调整风险等级</source>
        <translation>Risk level changed</translation>
    </message>
    <message>
        <source>群体性事件预警</source>
        <translation>Group-event warning</translation>
    </message>
    <message>
        <source>调整处置时限</source>
        <translation>Deadline changed</translation>
    </message>
    <message>
        <source>添加附件</source>
        <translation>Add attachment</translation>
    </message>
    <message>
        <source>合并了重复上报</source>
        <translation>Merged in duplicate</translation>
    </message>
    <message>
        <source>合并到</source>
        <translation>Merged into</translation>
    </message>
    <message>
        <source>县级答复</source>
        <translation>County reply</translation>
    </message>
    <message>
        <source>立案受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>合并重复</source>
        <translation>Merge duplicate</translation>
    </message>
    <message>
        <source>派遣</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <source>开始处置</source>
        <translation>Work started</translation>
    </message>
    <message>
        <source>处置反馈</source>
        <translation>Handled</translation>
    </message>
    <message>
        <source>核实通过</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>核实未通过</source>
        <translation>Verification failed</translation>
    </message>
    <message>
        <source>结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>上报县级</source>
        <translation>Escalated to county</translation>
    </message>
    <message>
        <source> → {0}色</source>
        <translation> → {0}</translation>
    </message>
    <message>
        <source>（{0}色）</source>
        <translation> ({0})</translation>
    </message>
    <message>
        <source> 至 {0}</source>
        <translation> until {0}</translation>
    </message>
    <message>
        <source>（转为“{0}”）</source>
        <translation> (now “{0}”)</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>涉及人数</source>
        <translation>People involved</translation>
    </message>
    <message>
        <source>上报人</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <source>上报时间</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>承办部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>处置时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>双击打开附件</source>
        <translation>Double-click to open an attachment</translation>
    </message>
    <message>
        <source>添加附件…</source>
        <translation>Add attachment…</translation>
    </message>
    <message>
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <source>处置经过</source>
        <translation>Handling</translation>
    </message>
    <message>
        <source>此队列中没有事件</source>
        <translation>No incidents in this queue</translation>
    </message>
    <message>
        <source>未指定</source>
        <translation>Not specified</translation>
    </message>
    <message>
        <source>未派遣</source>
        <translation>Not dispatched</translation>
    </message>
    <message>
        <source>受理后计时</source>
        <translation>Starts when accepted</translation>
    </message>
    <message>
        <source>已暂停（等待县级答复）</source>
        <translation>Paused (waiting for the county)</translation>
    </message>
    <message>
        <source>未开始计时</source>
        <translation>Clock not started</translation>
    </message>
    <message>
        <source>群体性事件预警：{0}</source>
        <translation>Group-event warning: {0}</translation>
    </message>
    <message>
        <source>可能重复：{0} {1}（相似度 {2:.0%}：{3}）</source>
        <translation>Possible duplicate: {0} {1} (similarity {2:.0%}: {3})</translation>
    </message>
    <message>
        <source>{0}
{1} 添加于 {2}，{3:.0f} KB</source>
        <translation>{0}
added by {1} at {2}, {3:.0f} KB</translation>
    </message>
</context>
<context>
    <name>IncidentForm</name>
    <message>
        <source>照片和文档 (*.jpg *.jpeg *.png *.gif *.webp *.bmp *.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.mp4 *.ts);;所有文件 (*)</source>
        <translation>Photos and documents (*.jpg *.jpeg *.png *.gif *.webp *.bmp *.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.mp4 *.ts);;All files (*)</translation>
    </message>
    <message>
        <source>新建事件</source>
        <translation>New incident</translation>
    </message>
    <message>
        <source>{0}色</source>
        <translation>{0}</translation>
    </message>
    <message>
        <source>如：金乡村菜市场东门</source>
        <translation>e.g. east gate of the Jinxiang market</translation>
    </message>
    <message>
        <source>一句话说明事件</source>
        <translation>The incident in one sentence</translation>
    </message>
    <message>
        <source>时间、地点、人物、经过</source>
        <translation>When, where, who, what happened</translation>
    </message>
    <message>
        <source>手机或固定电话，可不填</source>
        <translation>Mobile or landline (optional)</translation>
    </message>
    <message>
        <source>添加附件…</source>
        <translation>Add attachment…</translation>
    </message>
    <message>
        <source>视频证据…</source>
        <translation>Video evidence…</translation>
    </message>
    <message>
        <source>从本人在视频墙上的截图和录像中选择</source>
        <translation>Choose from your own snapshots and clips on the video wall</translation>
    </message>
    <message>
        <source>合并到所选事件(&amp;M)</source>
        <translation>&amp;Merge into selected</translation>
    </message>
    <message>
        <source>仍然新建(&amp;N)</source>
        <translation>Create a &amp;new case anyway</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>来源渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>事件类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>风险等级</source>
        <translation>Risk level</translation>
    </message>
    <message>
        <source>所属网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <source>事发地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>事件标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>事件描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>涉及人数</source>
        <translation>People involved</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>上报人</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <source>附件（照片、文档、视频取证）</source>
        <translation>Attachments (photos, documents, video evidence)</translation>
    </message>
    <message>
        <source>建议承办：{0}</source>
        <translation>Suggested department: {0}</translation>
    </message>
    <message>
        <source>{0} 视频巡查发现：</source>
        <translation>{0} seen on video patrol: </translation>
    </message>
    <message>
        <source>添加附件</source>
        <translation>Add attachment</translation>
    </message>
    <message>
        <source>{0}  {1}（{2}）
相似度 {3:.0%}：{4}</source>
        <translation>{0}  {1} ({2})
similarity {3:.0%}: {4}</translation>
    </message>
    <message>
        <source>发现 {0} 件可能重复的在办事件。可合并到其中一件，或确认不是同一件事后仍然新建。</source>
        <translation>{0} open incident(s) may be the same event. Merge into one of them, or create a new case if it is a different event.</translation>
    </message>
    <message>
        <source>请先处理可能重复的事件。</source>
        <translation>Please deal with the possible duplicates first.</translation>
    </message>
    <message>
        <source>请先在列表中选择要合并到的事件。</source>
        <translation>Please choose the incident to merge into from the list.</translation>
    </message>
    <message>
        <source>新上报与 {0} 为同一事件</source>
        <translation>New report is the same event as {0}</translation>
    </message>
    <message>
        <source>已新建 {0}，但未能合并：{1}</source>
        <translation>Created {0}, but could not merge it: {1}</translation>
    </message>
    <message>
        <source>已登记 {0} 并合并到 {1}</source>
        <translation>Registered {0} and merged it into {1}</translation>
    </message>
    <message>
        <source>已新建事件 {0}</source>
        <translation>Created incident {0}</translation>
    </message>
</context>
<context>
    <name>IncidentQueue</name>
    <message>
        <source>待分流</source>
        <translation>To triage</translation>
    </message>
    <message>
        <source>我的</source>
        <translation>Mine</translation>
    </message>
    <message>
        <source>即将超期/已超期</source>
        <translation>Due soon / overdue</translation>
    </message>
    <message>
        <source>待核实</source>
        <translation>To verify</translation>
    </message>
    <message>
        <source>已上报县级</source>
        <translation>Escalated to county</translation>
    </message>
    <message>
        <source>全部在办</source>
        <translation>All open</translation>
    </message>
    <message>
        <source>全部事件</source>
        <translation>All incidents</translation>
    </message>
    <message>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
</context>
<context>
    <name>IncidentState</name>
    <message>
        <source>待分流</source>
        <translation>Awaiting triage</translation>
    </message>
    <message>
        <source>已立案</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>已合并</source>
        <translation>Merged</translation>
    </message>
    <message>
        <source>已派遣</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <source>处置中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>待核实</source>
        <translation>Awaiting verification</translation>
    </message>
    <message>
        <source>已核实</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>已上报县级</source>
        <translation>Escalated to county</translation>
    </message>
</context>
<context>
    <name>IncidentsPage</name>
    <message>
        <source>设为{0}色</source>
        <translation>Set to {0}</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>把当前筛选的队列导出为 Excel 或 CSV 文件</source>
        <translation>Export the queue as filtered now to an Excel or CSV file</translation>
    </message>
    <message>
        <source>新建事件</source>
        <translation>New incident</translation>
    </message>
    <message>
        <source>新建事件（Ctrl+N）</source>
        <translation>New incident (Ctrl+N)</translation>
    </message>
    <message>
        <source>说明/理由（驳回、核实未通过、上报县级时必填）</source>
        <translation>Note/reason (required to reject, fail verification or escalate)</translation>
    </message>
    <message>
        <source>快捷键：A 受理  X 不予受理  D 派遣  S 开始处置  H 处置反馈  V 核实通过  F 核实未通过  C 结案  E 上报县级  1/2/3 红/黄/绿  J/K 下一条/上一条</source>
        <translation>Keys: A accept  X reject  D dispatch  S start  H handled  V verified  F verification failed  C close  E escalate  1/2/3 red/yellow/green  J/K next/previous</translation>
    </message>
    <message>
        <source>派遣到</source>
        <translation>Dispatch to</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>前 {0} 件，正在计数…</source>
        <translation>First {0}, counting…</translation>
    </message>
    <message>
        <source>共 {0} 件</source>
        <translation>{0} cases</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
</context>
<context>
    <name>LinkState</name>
    <message>
        <source>未配置</source>
        <translation>not configured</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>同步中</source>
        <translation>syncing</translation>
    </message>
    <message>
        <source>在线</source>
        <translation>online</translation>
    </message>
    <message>
        <source>需处理</source>
        <translation>needs attention</translation>
    </message>
</context>
<context>
    <name>LinkStateLabel</name>
    <message>
        <source>县级链路：未配置</source>
        <translation>County link: not configured</translation>
    </message>
    <message>
        <source>在 设置 中填写县级服务器地址和同步凭据后开始同步</source>
        <translation>Enter the county server address and the sync credential in Settings to start syncing</translation>
    </message>
    <message>
        <source>县级链路：未连接</source>
        <translation>County link: not connected</translation>
    </message>
    <message>
        <source>尚未与县级服务器建立连接</source>
        <translation>Not yet connected to the county server</translation>
    </message>
    <message>
        <source>县级链路：{0}</source>
        <translation>County link: {0}</translation>
    </message>
    <message>
        <source>（待传 {0}）</source>
        <translation> ({0} waiting)</translation>
    </message>
    <message>
        <source>待上传变更：{0} 条</source>
        <translation>Changes waiting to upload: {0}</translation>
    </message>
    <message>
        <source>上次成功：{0}</source>
        <translation>Last success: {0}</translation>
    </message>
    <message>
        <source>尚未成功同步</source>
        <translation>Not synced successfully yet</translation>
    </message>
    <message>
        <source>点击打开同步面板</source>
        <translation>Click to open the sync panel</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>演示数据库：账号 {0}（值班员）、{1}（中心主任）等，密码 {2}</source>
        <translation>Demo database: accounts {0} (duty officer), {1} (centre head) and others, password {2}</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>首次启动：正在创建数据库并生成演示数据，请稍候…</source>
        <translation>First start: creating the database and the demo data, please wait…</translation>
    </message>
    <message>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <source>无法生成演示数据</source>
        <translation>Cannot create demo data</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>综治中心</source>
        <translation> Governance Centre</translation>
    </message>
    <message>
        <source>社会治理综合指挥中心</source>
        <translation>Social governance command centre</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>设置…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>查看和修改中心设置</source>
        <translation>View and change the centre&apos;s settings</translation>
    </message>
    <message>
        <source>审计日志…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <source>查看谁在何时做了什么</source>
        <translation>See who did what and when</translation>
    </message>
    <message>
        <source>县级同步…</source>
        <translation>County sync…</translation>
    </message>
    <message>
        <source>查看与县级中心的同步状态，立即同步</source>
        <translation>See the sync state with the county centre, sync now</translation>
    </message>
    <message>
        <source>注销</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>退出当前账号，回到登录</source>
        <translation>Sign out and return to the sign-in dialog</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>关闭程序</source>
        <translation>Close the program</translation>
    </message>
    <message>
        <source>工作区(&amp;W)</source>
        <translation>&amp;Workspaces</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>列出常用快捷键</source>
        <translation>List the common keyboard shortcuts</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>程序与数据库信息</source>
        <translation>Program and database information</translation>
    </message>
    <message>
        <source>当前用户：{0}（{1}）</source>
        <translation>Signed in: {0} ({1})</translation>
    </message>
    <message>
        <source>“{0}”工作区无法打开。详情已写入日志，请联系系统管理员。</source>
        <translation>The workspace “{0}” could not be opened. The details are in the log; please contact the system administrator.</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>乡镇社会治理综合指挥中心客户端
数据库：{0}
乡镇代码：{1}</source>
        <translation>Township social governance centre client
Database: {0}
Township code: {1}</translation>
    </message>
</context>
<context>
    <name>MediationCases</name>
    <message>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>案件名称</source>
        <translation>Case title</translation>
    </message>
    <message>
        <source>纠纷类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>受理时间</source>
        <translation>Accepted</translation>
    </message>
</context>
<context>
    <name>MediationPage</name>
    <message>
        <source>日</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>一天，调解室为列</source>
        <translation>One day, rooms as columns</translation>
    </message>
    <message>
        <source>周</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>一周，每天按调解室分列</source>
        <translation>One week, each day split by room</translation>
    </message>
    <message>
        <source>按调解员</source>
        <translation>By mediator</translation>
    </message>
    <message>
        <source>一天，调解员为列</source>
        <translation>One day, mediators as columns</translation>
    </message>
    <message>
        <source>‹</source>
        <translation>‹</translation>
    </message>
    <message>
        <source>前一天（←）</source>
        <translation>Previous day (←)</translation>
    </message>
    <message>
        <source>›</source>
        <translation>›</translation>
    </message>
    <message>
        <source>后一天（→）</source>
        <translation>Next day (→)</translation>
    </message>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>回到今天（T）</source>
        <translation>Back to today (T)</translation>
    </message>
    <message>
        <source>已调整：{0} {1}–{2}</source>
        <translation>Moved: {0} {1}–{2}</translation>
    </message>
    <message>
        <source>调解安排</source>
        <translation>Session</translation>
    </message>
    <message>
        <source>调解员：{0}</source>
        <translation>Mediators: {0}</translation>
    </message>
    <message>
        <source>当事人：{0}</source>
        <translation>Parties: {0}</translation>
    </message>
    <message>
        <source>新建调解安排</source>
        <translation>New session</translation>
    </message>
    <message>
        <source>两周内没有空闲的一小时</source>
        <translation>No free hour in the next two weeks</translation>
    </message>
    <message>
        <source>最近的空闲时段：{0} {1}–{2} {3}，调解员 {4}</source>
        <translation>Nearest free slot: {0} {1}–{2} {3}, mediator {4}</translation>
    </message>
    <message>
        <source>日历</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <source>调解案件</source>
        <translation>Mediation cases</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <source>此工作区正在建设中。</source>
        <translation>This workspace is being built.</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>风险</source>
        <translation>Risk</translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <source>承办部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>上报时间</source>
        <translation>Reported</translation>
    </message>
    <message>
        <source>剩余时限</source>
        <translation>Time left</translation>
    </message>
</context>
<context>
    <name>Reception</name>
    <message>
        <source>咨询</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <source>矛盾纠纷</source>
        <translation>Dispute</translation>
    </message>
    <message>
        <source>信访</source>
        <translation>Petition</translation>
    </message>
    <message>
        <source>办事</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>法律援助</source>
        <translation>Legal aid</translation>
    </message>
</context>
<context>
    <name>ReceptionPage</name>
    <message>
        <source>来访登记</source>
        <translation>Check-in</translation>
    </message>
    <message>
        <source>18 位，可留空（匿名咨询）</source>
        <translation>18 characters; may be empty (anonymous consultation)</translation>
    </message>
    <message>
        <source>综合受理窗口</source>
        <translation>Service window</translation>
    </message>
    <message>
        <source>调解室</source>
        <translation>Mediation room</translation>
    </message>
    <message>
        <source>部门/站所</source>
        <translation>Department/station</translation>
    </message>
    <message>
        <source>来访事由</source>
        <translation>Purpose of the visit</translation>
    </message>
    <message>
        <source>登记并取号</source>
        <translation>Register and issue ticket</translation>
    </message>
    <message>
        <source>保存登记并生成排队号（Ctrl+Enter）</source>
        <translation>Save the visit and issue a queue ticket (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>事由类别</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>来访人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>分流到</source>
        <translation>Route to</translation>
    </message>
    <message>
        <source>事由</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>来访记录</source>
        <translation>Visit register</translation>
    </message>
    <message>
        <source>按姓名、拼音首字母（如 wxy）或身份证号查找</source>
        <translation>Find by name, pinyin initials (e.g. wxy) or ID number</translation>
    </message>
    <message>
        <source>{0} 人以上为集体访，登记后请通知值班员</source>
        <translation>{0} or more people is a collective visit: tell the duty officer after registering</translation>
    </message>
    <message>
        <source>已登记：{0}，请到 {1}</source>
        <translation>Registered: {0}, please go to {1}</translation>
    </message>
    <message>
        <source>显示最近 {0} 条</source>
        <translation>Showing the latest {0}</translation>
    </message>
</context>
<context>
    <name>RedAlert</name>
    <message>
        <source>新红色事件：{0} {1}</source>
        <translation>New red incident: {0} {1}</translation>
    </message>
    <message>
        <source>（群体性事件预警：{0}）</source>
        <translation> (group-event warning: {0})</translation>
    </message>
    <message>
        <source> 等 {0} 件</source>
        <translation> and {0} in all</translation>
    </message>
    <message>
        <source>综治中心：新红色事件提醒</source>
        <translation>Governance centre: new red incident alerts</translation>
    </message>
    <message>
        <source>新红色事件</source>
        <translation>New red incident</translation>
    </message>
</context>
<context>
    <name>SecondScreenWindow</name>
    <message>
        <source>视频墙（副屏）</source>
        <translation>Video wall (second screen)</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>乡镇代码</source>
        <translation>Township code</translation>
    </message>
    <message>
        <source>乡镇名称</source>
        <translation>Township name</translation>
    </message>
    <message>
        <source>中心名称</source>
        <translation>Centre name</translation>
    </message>
    <message>
        <source>县级服务器地址</source>
        <translation>County server address</translation>
    </message>
    <message>
        <source>同步间隔（秒）</source>
        <translation>Sync interval (seconds)</translation>
    </message>
    <message>
        <source>即将超期提前量（小时）</source>
        <translation>Due-soon warning (hours)</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>只有中心主任或系统管理员可以修改设置。</source>
        <translation>Only the centre head or the system administrator may change the settings.</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <source>县级同步</source>
        <translation>County sync</translation>
    </message>
    <message>
        <source>（未配置）</source>
        <translation>(not configured)</translation>
    </message>
    <message>
        <source>县级服务器：</source>
        <translation>County server:</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>State:</translation>
    </message>
    <message>
        <source>待上传变更：</source>
        <translation>Waiting to upload:</translation>
    </message>
    <message>
        <source>上次成功：</source>
        <translation>Last success:</translation>
    </message>
    <message>
        <source>本次运行：</source>
        <translation>This run:</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>最近的错误：</source>
        <translation>Recent errors:</translation>
    </message>
    <message>
        <source>{0} 条</source>
        <translation>{0}</translation>
    </message>
    <message>
        <source>尚未成功同步</source>
        <translation>Not synced successfully yet</translation>
    </message>
    <message>
        <source>已上传 {0} 条，已接收 {1} 条</source>
        <translation>{0} uploaded, {1} received</translation>
    </message>
    <message>
        <source>（没有错误）</source>
        <translation>(no errors)</translation>
    </message>
</context>
<context>
    <name>TourEditor</name>
    <message>
        <source>编辑轮巡方案</source>
        <translation>Edit tours</translation>
    </message>
    <message>
        <source>新建</source>
        <translation>New</translation>
    </message>
    <message>
        <source>重命名</source>
        <translation>Rename</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>轮巡方案</source>
        <translation>Tours</translation>
    </message>
    <message>
        <source>单个摄像机，或一个村/点位的全部摄像机（分组单独成页）</source>
        <translation>A single camera, or every camera of a village/site (a group gets its own pages)</translation>
    </message>
    <message>
        <source> 秒</source>
        <translation> s</translation>
    </message>
    <message>
        <source>加入</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>分屏</source>
        <translation>Layout</translation>
    </message>
    <message>
        <source>停留时间</source>
        <translation>Dwell time</translation>
    </message>
    <message>
        <source>顺序（可拖动调整）</source>
        <translation>Order (drag to rearrange)</translation>
    </message>
    <message>
        <source>分组：{0}</source>
        <translation>Group: {0}</translation>
    </message>
    <message>
        <source>摄像机：{0}（{1}）</source>
        <translation>Camera: {0} ({1})</translation>
    </message>
    <message>
        <source>摄像机：{0}</source>
        <translation>Camera: {0}</translation>
    </message>
    <message>
        <source>已删除的摄像机</source>
        <translation>Deleted camera</translation>
    </message>
    <message>
        <source>{0} — {1} 秒</source>
        <translation>{0} — {1} s</translation>
    </message>
    <message>
        <source>目录中还没有摄像机。</source>
        <translation>There are no cameras in the registry yet.</translation>
    </message>
    <message>
        <source>（新方案，保存时命名）</source>
        <translation>(new tour, named when saved)</translation>
    </message>
    <message>
        <source>保存轮巡方案</source>
        <translation>Save tour</translation>
    </message>
    <message>
        <source>方案名称：</source>
        <translation>Tour name:</translation>
    </message>
    <message>
        <source>请先选中一个已保存的轮巡方案。</source>
        <translation>Select a saved tour first.</translation>
    </message>
    <message>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>重命名轮巡方案</source>
        <translation>Rename tour</translation>
    </message>
    <message>
        <source>新名称：</source>
        <translation>New name:</translation>
    </message>
    <message>
        <source>删除轮巡方案</source>
        <translation>Delete tour</translation>
    </message>
    <message>
        <source>确定删除轮巡方案“{0}”？</source>
        <translation>Delete the tour “{0}”?</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <source>拖入摄像机</source>
        <translation>Drop a camera here</translation>
    </message>
    <message>
        <source>● 录制 {0} 秒</source>
        <translation>● REC {0} s</translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <source>空闲</source>
        <translation>Idle</translation>
    </message>
    <message>
        <source>连接中</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <source>播放中</source>
        <translation>Playing</translation>
    </message>
    <message>
        <source>画面停滞</source>
        <translation>Stalled</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>无法播放</source>
        <translation>Cannot play</translation>
    </message>
    <message>
        <source>1 分屏</source>
        <translation>1 tile</translation>
    </message>
    <message>
        <source>4 分屏</source>
        <translation>4 tiles</translation>
    </message>
    <message>
        <source>9 分屏</source>
        <translation>9 tiles</translation>
    </message>
    <message>
        <source>16 分屏</source>
        <translation>16 tiles</translation>
    </message>
    <message>
        <source>25 分屏</source>
        <translation>25 tiles</translation>
    </message>
    <message>
        <source>36 分屏</source>
        <translation>36 tiles</translation>
    </message>
    <message>
        <source>1+5 分屏</source>
        <translation>1 + 5 tiles</translation>
    </message>
    <message>
        <source>1+7 分屏</source>
        <translation>1 + 7 tiles</translation>
    </message>
</context>
<context>
    <name>VideoWallPage</name>
    <message>
        <source>录制片段</source>
        <translation>Record clip</translation>
    </message>
    <message>
        <source>打开已保存的墙面</source>
        <translation>Open a saved wall</translation>
    </message>
    <message>
        <source>分屏：</source>
        <translation>Layout:</translation>
    </message>
    <message>
        <source>保存墙面</source>
        <translation>Save wall</translation>
    </message>
    <message>
        <source>墙面名称：</source>
        <translation>Wall name:</translation>
    </message>
    <message>
        <source>打开墙面</source>
        <translation>Open wall</translation>
    </message>
    <message>
        <source>轮巡</source>
        <translation>Tour</translation>
    </message>
    <message>
        <source>还没有轮巡方案，请先建立。</source>
        <translation>There is no tour yet; create one first.</translation>
    </message>
    <message>
        <source>停止轮巡</source>
        <translation>Stop tour</translation>
    </message>
    <message>
        <source>开始轮巡</source>
        <translation>Start tour</translation>
    </message>
    <message>
        <source>把当前分屏和摄像机保存为命名墙面</source>
        <translation>Save the current layout and cameras as a named wall</translation>
    </message>
    <message>
        <source>按轮巡方案逐页播放</source>
        <translation>Play the chosen tour page by page</translation>
    </message>
    <message>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>暂停/继续轮巡</source>
        <translation>Pause or resume the tour</translation>
    </message>
    <message>
        <source>副屏窗口</source>
        <translation>Second screen</translation>
    </message>
    <message>
        <source>在单独窗口（第二块屏幕）全屏打开墙面</source>
        <translation>Open the wall full screen in its own window (second screen)</translation>
    </message>
    <message>
        <source>截图</source>
        <translation>Snapshot</translation>
    </message>
    <message>
        <source>选中画面截图取证</source>
        <translation>Snapshot the selected tile as evidence</translation>
    </message>
    <message>
        <source>录制选中画面 30 秒作为取证（右键菜单可选 10/60 秒）</source>
        <translation>Record 30 s of the selected tile as evidence (10/60 s from the tile menu)</translation>
    </message>
    <message>
        <source>在线状态</source>
        <translation>Camera health</translation>
    </message>
    <message>
        <source>查看离线的摄像机</source>
        <translation>Show the cameras that are offline</translation>
    </message>
    <message>
        <source>新增摄像机</source>
        <translation>New camera</translation>
    </message>
    <message>
        <source>在目录中新增一台摄像机</source>
        <translation>Add a camera to the registry</translation>
    </message>
    <message>
        <source>编辑目录中选中的摄像机</source>
        <translation>Edit the camera selected in the registry</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>从 CSV 文件导入摄像机（报告被拒绝的行）</source>
        <translation>Import cameras from a CSV file (rejected lines are reported)</translation>
    </message>
    <message>
        <source>编辑轮巡</source>
        <translation>Edit tours</translation>
    </message>
    <message>
        <source>新建、重命名、删除轮巡方案，调整顺序和停留时间</source>
        <translation>Create, rename and delete tours; change their order and dwell times</translation>
    </message>
    <message>
        <source>继续</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>已暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>{0} 秒后翻页</source>
        <translation>Next page in {0} s</translation>
    </message>
    <message>
        <source>轮巡“{0}” 第 {1}/{2} 页，{3}；下一页：{4}</source>
        <translation>Tour “{0}” page {1}/{2}, {3}; next: {4}</translation>
    </message>
    <message>
        <source>最大化/还原</source>
        <translation>Maximise/restore</translation>
    </message>
    <message>
        <source>截图取证</source>
        <translation>Snapshot as evidence</translation>
    </message>
    <message>
        <source>{0} 秒</source>
        <translation>{0} s</translation>
    </message>
    <message>
        <source>从画面创建事件</source>
        <translation>Create incident from this tile</translation>
    </message>
    <message>
        <source>清空画面</source>
        <translation>Clear tile</translation>
    </message>
    <message>
        <source>请先选中一个有摄像机的画面再录制。</source>
        <translation>Select a tile showing a camera first, then record.</translation>
    </message>
    <message>
        <source>编辑摄像机</source>
        <translation>Edit camera</translation>
    </message>
    <message>
        <source>请先在目录中选中一台摄像机。</source>
        <translation>Select a camera in the tree first.</translation>
    </message>
</context>
<context>
    <name>VisitsModel</name>
    <message>
        <source>号码</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>来访时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>事由</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>分流去向</source>
        <translation>Routed to</translation>
    </message>
    <message>
        <source>{0} 人（集体访）</source>
        <translation>{0} (collective)</translation>
    </message>
</context>
<context>
    <name>Workspaces</name>
    <message>
        <source>事件分流</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <source>值班员的事件分流队列：待分流、我的、即将超期/已超期、待核实、已上报县级、按部门；事件闭环处置（受理、派遣、处置反馈、核实、结案）。</source>
        <translation>Duty officers&apos; triage queues: untriaged, mine, due soon/overdue, awaiting verification, escalated to the county, by department; the closed loop (accept, dispatch, handle, verify, close).</translation>
    </message>
    <message>
        <source>视频墙</source>
        <translation>Video wall</translation>
    </message>
    <message>
        <source>视频巡查：摄像机目录树、1/4/9/16/25/36 分屏、轮巡、截图取证、从画面创建事件、摄像机在线状态。</source>
        <translation>Video patrol: camera tree, 1/4/9/16/25/36 layouts, tours, snapshots as evidence, incidents from a tile, camera health.</translation>
    </message>
    <message>
        <source>调解室日历</source>
        <translation>Mediation calendar</translation>
    </message>
    <message>
        <source>调解室与调解员的日/周日历：坐班、预约、冲突检查、调解案件与成功率、iCalendar 导出、打印日程表。</source>
        <translation>Day and week calendars of mediation rooms and mediators: rota, appointments, conflict checks, cases and success rates, iCalendar export, printable day sheet.</translation>
    </message>
    <message>
        <source>接待登记</source>
        <translation>Reception</translation>
    </message>
    <message>
        <source>来访登记：身份证号校验、排队取号、分流到窗口/调解室/部门、重复来访识别、信访事项法定期限。</source>
        <translation>Visitor registration: ID number checks, queue tickets, routing to windows/rooms/departments, repeat visitors, statutory petition time limits.</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>中心主任的统计看板：受理量、处置成功率、超期数，按类别、网格、部门和月份。</source>
        <translation>The centre head&apos;s dashboard: reports received, success rate, overdue counts by category, grid, department and month.</translation>
    </message>
</context>
<context>
    <name>page</name>
    <message>
        <source>截图</source>
        <translation>Snapshot</translation>
    </message>
    <message>
        <source>请先选中一个正在播放的画面再截图。</source>
        <translation>Select a playing tile before taking a snapshot.</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>导入摄像机 CSV</source>
        <translation>Import cameras from CSV</translation>
    </message>
    <message>
        <source>无法读取该文件，请检查文件是否存在。</source>
        <translation>The file cannot be read; check that it exists.</translation>
    </message>
    <message>
        <source>导入摄像机</source>
        <translation>Import cameras</translation>
    </message>
</context>
</TS>
