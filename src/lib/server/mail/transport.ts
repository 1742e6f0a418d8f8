import nodemailer from 'nodemailer';
import type { Transport } from './outbox';

/** nodemailer over SMTP, from an `smtp://` or `smtps://` URL (user and password in it if any). */
export function smtpTransport(url: string, from: string): Transport & { close(): void } {
	const transporter = nodemailer.createTransport(url);
	return {
		async send(mail) {
			await transporter.sendMail({
				from,
				to: mail.to,
				subject: mail.subject,
				text: mail.text,
				html: mail.html,
				headers: mail.headers
			});
		},
		close: () => transporter.close()
	};
}
