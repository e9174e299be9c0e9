-- The clinic's tables as create_all made them before there were migrations (SQLite), for the upgrade test.
CREATE TABLE booking_requests (
	id INTEGER NOT NULL,
	conversation_id VARCHAR(255) NOT NULL,
	patient_name VARCHAR(255) NOT NULL,
	contact_kind VARCHAR(16) NOT NULL,
	contact VARCHAR(255) NOT NULL,
	preferred_time VARCHAR(255) NOT NULL,
	assessment VARCHAR(32),
	summary TEXT NOT NULL,
	status VARCHAR(16) DEFAULT 'new' NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_booking_requests_conversation_id ON booking_requests (conversation_id);
CREATE TABLE console_users (
	id INTEGER NOT NULL,
	username VARCHAR(64) NOT NULL,
	password_hash VARCHAR(255) NOT NULL,
	role VARCHAR(16) NOT NULL,
	active BOOLEAN NOT NULL,
	created_at FLOAT NOT NULL,
	last_login_at FLOAT,
	PRIMARY KEY (id),
	UNIQUE (username)
);
CREATE TABLE console_login_attempts (
	id INTEGER NOT NULL,
	username VARCHAR(64) NOT NULL,
	ip VARCHAR(64) NOT NULL,
	at FLOAT NOT NULL,
	success BOOLEAN NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_console_login_attempts_ip ON console_login_attempts (ip);
CREATE INDEX ix_console_login_attempts_at ON console_login_attempts (at);
CREATE INDEX ix_console_login_attempts_username ON console_login_attempts (username);
CREATE TABLE console_conversations (
	conversation_id VARCHAR(255) NOT NULL,
	started_at FLOAT NOT NULL,
	last_event_at FLOAT NOT NULL,
	last_event_id INTEGER NOT NULL,
	first_message TEXT,
	turns INTEGER NOT NULL,
	assessment VARCHAR(32),
	red_flag BOOLEAN NOT NULL,
	booking_offered BOOLEAN NOT NULL,
	booking_requested BOOLEAN NOT NULL,
	booking_completed BOOLEAN NOT NULL,
	fallbacks INTEGER NOT NULL,
	search_text TEXT NOT NULL,
	PRIMARY KEY (conversation_id)
);
CREATE INDEX ix_console_conversations_last_event_at ON console_conversations (last_event_at);
CREATE INDEX ix_console_conversations_started_at ON console_conversations (started_at);
CREATE INDEX ix_console_conversations_assessment ON console_conversations (assessment);
CREATE TABLE console_refresh_state (
	id INTEGER NOT NULL,
	last_event_id INTEGER NOT NULL,
	PRIMARY KEY (id)
);
CREATE TABLE console_reviews (
	conversation_id VARCHAR(255) NOT NULL,
	status VARCHAR(16) NOT NULL,
	updated_by VARCHAR(64) NOT NULL,
	updated_at FLOAT NOT NULL,
	PRIMARY KEY (conversation_id)
);
CREATE INDEX ix_console_reviews_status ON console_reviews (status);
CREATE TABLE console_notes (
	id INTEGER NOT NULL,
	conversation_id VARCHAR(255) NOT NULL,
	author VARCHAR(64) NOT NULL,
	body TEXT NOT NULL,
	created_at FLOAT NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_console_notes_conversation_id ON console_notes (conversation_id);
CREATE TABLE console_tags (
	conversation_id VARCHAR(255) NOT NULL,
	tag VARCHAR(64) NOT NULL,
	PRIMARY KEY (conversation_id, tag)
);
CREATE TABLE console_booking_history (
	id INTEGER NOT NULL,
	booking_id INTEGER NOT NULL,
	from_status VARCHAR(16) NOT NULL,
	to_status VARCHAR(16) NOT NULL,
	changed_by VARCHAR(64) NOT NULL,
	changed_at FLOAT NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_console_booking_history_booking_id ON console_booking_history (booking_id);
CREATE TABLE console_audit_log (
	id INTEGER NOT NULL,
	at FLOAT NOT NULL,
	username VARCHAR(64) NOT NULL,
	action VARCHAR(32) NOT NULL,
	target VARCHAR(255) NOT NULL,
	detail TEXT NOT NULL,
	ip VARCHAR(64) NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_console_audit_log_at ON console_audit_log (at);
CREATE INDEX ix_console_audit_log_action ON console_audit_log (action);
CREATE INDEX ix_console_audit_log_username ON console_audit_log (username);
CREATE TABLE console_sessions (
	token_hash VARCHAR(64) NOT NULL,
	user_id INTEGER NOT NULL,
	csrf_token VARCHAR(64) NOT NULL,
	created_at FLOAT NOT NULL,
	last_seen_at FLOAT NOT NULL,
	PRIMARY KEY (token_hash),
	FOREIGN KEY(user_id) REFERENCES console_users (id)
);
CREATE INDEX ix_console_sessions_user_id ON console_sessions (user_id);
